using VideoSensor.Contracts;
using System.Reflection;

namespace VideoSensor.Api.JsonRpc;

/// <summary>One JSON-RPC method: what the attribute says and what the code takes.</summary>
internal sealed record RpcMethodInfo(string Name, RpcAccess Access, string Summary, string? ResultSummary, MethodInfo Method, Type GroupType, Type? ParamsType);

/// <summary>Every JSON-RPC method of the service, found by reflection over the registered method groups.</summary>
internal sealed class RpcMethodCatalog : IMethodDirectory
{
    private readonly Dictionary<string, RpcMethodInfo> _methods;

    public RpcMethodCatalog(IEnumerable<RpcMethodGroupRegistration> groups)
    {
        _methods = new Dictionary<string, RpcMethodInfo>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            foreach (var method in group.Type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            {
                if (method.GetCustomAttribute<RpcMethodAttribute>() is not { } attribute)
                {
                    continue;
                }

                var parameters = method.GetParameters().Where(p => p.ParameterType != typeof(CancellationToken)).ToArray();
                if (parameters.Length > 1)
                {
                    throw new InvalidOperationException($"{group.Type.Name}.{method.Name} must take at most one params object");
                }

                _methods.Add(attribute.Name, new RpcMethodInfo(attribute.Name, attribute.Access, attribute.Summary, attribute.Result, method, group.Type, parameters.FirstOrDefault()?.ParameterType));
            }
        }
    }

    public IReadOnlyCollection<RpcMethodInfo> Methods => _methods.Values;

    public IReadOnlyList<string> MethodNames => [.. _methods.Keys.Order(StringComparer.Ordinal)];

    public bool TryGet(string name, out RpcMethodInfo method) => _methods.TryGetValue(name, out method!);
}

/// <summary>Registers a method group type with the catalog.</summary>
internal sealed record RpcMethodGroupRegistration(Type Type);

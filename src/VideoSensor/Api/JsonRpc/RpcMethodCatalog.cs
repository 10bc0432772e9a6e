using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using VideoSensor.Api.JsonRpc.Pipeline;
using VideoSensor.Contracts;
using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc;

/// <summary>
/// One JSON-RPC method: what the attribute says and what the code takes. Everything a call needs is worked out
/// here once, at startup — the params binder, the compiled invoker, the result's serializer metadata — so a call does
/// no reflection.
/// </summary>
internal sealed record RpcMethodInfo(
    string Name,
    Role? Required,
    string Summary,
    string? ResultSummary,
    MethodInfo Method,
    Type GroupType,
    Type? ParamsType,
    int Index,
    RpcInvoker Invoke,
    ParamsBinding? Params,
    JsonTypeInfo ResultInfo)
{
    /// <summary>True for <c>ping</c>, <c>authenticate</c>, <c>rpc.discover</c>: callable before authenticating.</summary>
    public bool IsPublic => Required is null;
}

/// <summary>Every JSON-RPC method of the service, found by reflection over the registered method groups at startup.</summary>
internal sealed class RpcMethodCatalog : IMethodDirectory
{
    private readonly Dictionary<string, RpcMethodInfo> _methods;
    private readonly RpcMethodInfo[] _byIndex;

    public RpcMethodCatalog(IEnumerable<RpcMethodGroupRegistration> groups)
    {
        _methods = new Dictionary<string, RpcMethodInfo>(StringComparer.Ordinal);
        var list = new List<RpcMethodInfo>();
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

                var paramsType = parameters.FirstOrDefault()?.ParameterType;
                var info = new RpcMethodInfo(attribute.Name, attribute.Access, attribute.Summary, attribute.Result, method, group.Type, paramsType, list.Count,
                    RpcInvokers.Compile(method, group.Type),
                    paramsType is null ? null : ParamsBinding.For(paramsType),
                    ApiJson.Options.GetTypeInfo(ResultType(method)));
                _methods.Add(attribute.Name, info);
                list.Add(info);
            }
        }

        _byIndex = [.. list];
    }

    public IReadOnlyList<RpcMethodInfo> Methods => _byIndex;

    /// <summary>What a method's answer is serialized as: its declared result type (a method without one answers null).</summary>
    private static Type ResultType(MethodInfo method)
    {
        var type = RpcSchemas.Unwrap(method.ReturnType);
        return type == typeof(void) || type == typeof(Task) || type == typeof(ValueTask) ? typeof(object) : type;
    }

    public IReadOnlyList<string> MethodNames => [.. _methods.Keys.Order(StringComparer.Ordinal)];

    public bool TryGet(string name, out RpcMethodInfo method) => _methods.TryGetValue(name, out method!);
}

/// <summary>Registers a method group type with the catalog.</summary>
internal sealed record RpcMethodGroupRegistration(Type Type);

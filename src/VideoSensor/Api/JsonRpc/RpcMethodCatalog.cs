using System.Text.Json.Serialization.Metadata;
using VideoSensor.Api.Json;
using VideoSensor.Api.JsonRpc.Pipeline;
using VideoSensor.Contracts;
using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc;

/// <summary>
/// One JSON-RPC method: its declaration (generated from its attributes) and what a call needs, worked out once at
/// startup — the params binder and the result's serializer metadata — so a call does no reflection.
/// </summary>
/// <param name="GroupIndex">Which of the catalog's groups declares it: a connection resolves each group once, at its first call.</param>
internal sealed record RpcMethodInfo(RpcMethodDeclaration Declaration, int Index, int GroupIndex, ParamsBinding? Params, JsonTypeInfo? ResultInfo)
{
    public string Name => Declaration.Name;

    public Role? Required => Declaration.Required;

    public Type GroupType => Declaration.GroupType;

    public Type? ParamsType => Declaration.ParamsType;

    public RpcInvoker Invoke => Declaration.Invoke;

    /// <summary>True for <c>ping</c>, <c>authenticate</c>, <c>rpc.discover</c>: callable before authenticating.</summary>
    public bool IsPublic => Required is null;
}

/// <summary>Every JSON-RPC method of the service, from the method tables generated for the registered groups.</summary>
internal sealed class RpcMethodCatalog : IMethodDirectory
{
    private readonly Dictionary<string, RpcMethodInfo> _methods;
    private readonly Dictionary<string, RpcMethodInfo>.AlternateLookup<ReadOnlySpan<char>> _byChars;
    private readonly RpcMethodInfo[] _byIndex;

    public RpcMethodCatalog(IEnumerable<RpcMethodGroupRegistration> groups)
        : this(groups, HostJson.Api)
    {
    }

    /// <param name="groups">The method groups and their generated tables.</param>
    /// <param name="json">Where the params and result types' generated metadata is (the host's context; tests bring their own).</param>
    internal RpcMethodCatalog(IEnumerable<RpcMethodGroupRegistration> groups, System.Text.Json.JsonSerializerOptions json)
    {
        _methods = new Dictionary<string, RpcMethodInfo>(StringComparer.Ordinal);
        var list = new List<RpcMethodInfo>();
        foreach (var (declaration, groupIndex) in groups.SelectMany((g, i) => g.Methods.Select(m => (m, i))))
        {
            GroupCount = Math.Max(GroupCount, groupIndex + 1);
            var info = new RpcMethodInfo(declaration, list.Count, groupIndex,
                declaration.ParamsType is { } paramsType ? ParamsBinding.For(paramsType, json) : null,
                declaration.ResultType is { } resultType ? TypeInfo(declaration, resultType, json) : null);
            _methods.Add(declaration.Name, info);
            list.Add(info);
        }

        _byIndex = [.. list];
        _byChars = _methods.GetAlternateLookup<ReadOnlySpan<char>>();
        MethodNames = [.. _methods.Keys.Order(StringComparer.Ordinal)];
    }

    public IReadOnlyList<RpcMethodInfo> Methods => _byIndex;

    public IReadOnlyList<string> MethodNames { get; }

    /// <summary>How many method groups there are (<see cref="RpcMethodInfo.GroupIndex"/> is below it).</summary>
    public int GroupCount { get; }

    public bool TryGet(string name, out RpcMethodInfo method) => _methods.TryGetValue(name, out method!);

    /// <summary>Looks a method up by a name not made into a string (the request's bytes, decoded on the stack).</summary>
    public bool TryGet(ReadOnlySpan<char> name, out RpcMethodInfo method) => _byChars.TryGetValue(name, out method!);

    /// <summary>A result type without generated metadata is a startup failure naming it, not a -32603 at the first call.</summary>
    private static JsonTypeInfo TypeInfo(RpcMethodDeclaration method, Type type, System.Text.Json.JsonSerializerOptions json) =>
        json.TryGetTypeInfo(type, out var info)
            ? info
            : throw new InvalidOperationException($"{method.Name}: add [JsonSerializable(typeof({type.Name}))] to {nameof(HostJsonContext)} (or the context the group's assembly uses)");
}

/// <summary>Registers a method group with the catalog: its type and its generated method table.</summary>
internal sealed record RpcMethodGroupRegistration(Type Type, IReadOnlyList<RpcMethodDeclaration> Methods)
{
    public static RpcMethodGroupRegistration For<T>()
        where T : class, IRpcMethodGroup => new(typeof(T), T.RpcMethods);
}

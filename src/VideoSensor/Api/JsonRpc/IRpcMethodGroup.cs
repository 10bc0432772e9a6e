namespace VideoSensor.Api.JsonRpc;

/// <summary>
/// A class of JSON-RPC methods; one instance per connection, resolved from the connection's scope. The class is
/// <c>partial</c>: <c>VideoSensor.RpcGenerator</c> writes <see cref="RpcMethods"/> from its methods' attributes at
/// compile time.
/// </summary>
internal interface IRpcMethodGroup
{
    /// <summary>The group's methods as their <see cref="RpcMethodAttribute"/>s declare them, with a typed invoker each.</summary>
    static abstract IReadOnlyList<RpcMethodDeclaration> RpcMethods { get; }
}

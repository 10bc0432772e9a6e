using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc;

/// <summary>
/// Marks a JSON-RPC method. The name, role and summary here are the single source for dispatch, the role check
/// (<see cref="AccessPolicy"/>) and the OpenRPC document. The role is the core's <see cref="Role"/> and a required
/// argument: a method cannot be declared without saying who may call it. A use case reachable from several
/// transports passes its own declaration (<c>TakeSnapshot.Access</c>), so REST and JSON-RPC read the same one.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal class RpcMethodAttribute : Attribute
{
    public RpcMethodAttribute(string name, Role access, string summary)
        : this(name, (Role?)access, summary)
    {
    }

    private protected RpcMethodAttribute(string name, Role? access, string summary)
    {
        Name = name;
        Access = access;
        Summary = summary;
    }

    public string Name { get; }

    /// <summary>The role a caller needs; null only for <see cref="PublicRpcMethodAttribute"/>.</summary>
    public Role? Access { get; }

    public string Summary { get; }

    /// <summary>A sentence describing the result, for the OpenRPC document.</summary>
    public string? Result { get; init; }
}

/// <summary>
/// A method anyone may call before authenticating. Only <c>ping</c>, <c>authenticate</c> and <c>rpc.discover</c> are;
/// being public is said out loud with this attribute, never the result of a role left out.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PublicRpcMethodAttribute(string name, string summary) : RpcMethodAttribute(name, null, summary);

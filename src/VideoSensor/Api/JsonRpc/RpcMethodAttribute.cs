using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc;

/// <summary>Who may call a method.</summary>
internal enum RpcAccess
{
    Anonymous = 0,
    // Defined from the roles, so a method's access and a user's role can never drift apart.
    Viewer = (int)Role.Viewer,
    Operator = (int)Role.Operator,
    Admin = (int)Role.Admin,
}

/// <summary>
/// Marks a JSON-RPC method. The name, access and summary here are the single source for dispatch,
/// the role check and the OpenRPC document.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RpcMethodAttribute(string name, RpcAccess access, string summary) : Attribute
{
    public string Name { get; } = name;
    public RpcAccess Access { get; } = access;
    public string Summary { get; } = summary;

    /// <summary>A sentence describing the result, for the OpenRPC document.</summary>
    public string? Result { get; init; }
}

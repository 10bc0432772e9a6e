namespace VideoSensor.Security;

/// <summary>What checking a caller against an action's declared role found.</summary>
internal enum AccessDecision
{
    Allowed,

    /// <summary>No credential was proven (none sent, or it expired): JSON-RPC -32001, REST 401, data plane refused.</summary>
    Unauthenticated,

    /// <summary>A credential whose role is below the one the action declares: JSON-RPC -32002, REST 403, data plane refused.</summary>
    Forbidden,
}

/// <summary>
/// The one role check. Each action declares the role it needs once (<c>TakeSnapshot.Access</c>, a JSON-RPC method's
/// attribute, <c>WatchCamera.Access</c>); JSON-RPC, REST and the data-plane callback authenticate their caller
/// in their own way and then all ask this, so the three can never disagree about who may do what.
/// </summary>
internal static class AccessPolicy
{
    /// <summary>Roles are hierarchical: a caller may do what its role and every role below it may.</summary>
    public static AccessDecision Check(Role required, AuthenticatedUser? user) =>
        user is null ? AccessDecision.Unauthenticated
        : user.Role < required ? AccessDecision.Forbidden
        : AccessDecision.Allowed;
}

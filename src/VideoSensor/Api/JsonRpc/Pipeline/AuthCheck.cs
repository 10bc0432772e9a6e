using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc.Pipeline;

/// <summary>
/// Step 3, auth: the connection's caller against the role the method declares, through the one check every transport
/// uses (<see cref="AccessPolicy"/>). -32001 without a (still valid) credential, -32002 below the role.
/// </summary>
internal static class AuthCheck
{
    public static RpcError? Check(RpcMethodInfo method, RpcSession session)
    {
        if (method.Required is not { } required)
        {
            return null;
        }

        var user = session.User;
        return AccessPolicy.Check(required, user) switch
        {
            AccessDecision.Allowed => null,
            AccessDecision.Unauthenticated => RpcError.AuthenticationRequired(session.Expired
                ? "the session's token has expired"
                : $"'{method.Name}' needs an authenticated session"),
            _ => RpcError.PermissionDenied(required, user!.Role),
        };
    }
}

using VideoSensor.Errors;
using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc;

/// <summary>
/// A contract error: code, message and <c>data</c> = <c>{reason, details, suggestion}</c> plus the
/// per-code fields. One place builds them all, so every path answers the same shape.
/// </summary>
internal sealed record RpcError(int Code, string Message, Dictionary<string, object?> Data)
{
    public static RpcError Create(int code, string message, string details, string suggestion, params (string Key, object? Value)[] extra)
    {
        var data = new Dictionary<string, object?>
        {
            ["reason"] = Reason(code),
            ["details"] = details,
            ["suggestion"] = suggestion,
        };
        foreach (var (key, value) in extra)
        {
            data[key] = value;
        }

        return new RpcError(code, message, data);
    }

    public static RpcError ParseError(string details) =>
        Create(RpcErrorCodes.ParseError, "Parse error", details, "send one well-formed JSON object per text frame");

    public static RpcError InvalidRequest(string details) =>
        Create(RpcErrorCodes.InvalidRequest, "Invalid Request", details, "send {\"jsonrpc\":\"2.0\",\"method\":…,\"params\":{…},\"id\":…} with named params; batches are not supported");

    public static RpcError MethodNotFound(string method) =>
        Create(RpcErrorCodes.MethodNotFound, "Method not found", $"there is no method '{Truncate(method)}'", "call rpc.discover for the list of methods");

    public static RpcError InvalidParams(string param, string rule, string details) =>
        Create(RpcErrorCodes.InvalidParams, "Invalid params", details, $"fix '{param}': {rule}", ("param", param), ("rule", rule));

    public static RpcError AuthenticationRequired(string details) =>
        Create(RpcErrorCodes.AuthenticationRequired, "Authentication required", details, "call authenticate with a valid token or API key");

    public static RpcError PermissionDenied(Role required, Role have) =>
        Create(RpcErrorCodes.PermissionDenied, "Permission denied", $"this method needs the {required.ToWire()} role", "authenticate with a token that has the required role",
            ("required_role", required.ToWire()), ("have_role", have.ToWire()));

    public static RpcError RateLimited(TimeSpan retryAfter, string details) =>
        Create(RpcErrorCodes.RateLimited, "Rate limit exceeded", details, "slow down and retry after retry_after_ms",
            ("retry_after_ms", (long)Math.Ceiling(retryAfter.TotalMilliseconds)));

    public static RpcError Internal(string requestId) =>
        Create(RpcErrorCodes.InternalError, "Internal error", "the service failed to handle the request", "retry; if it persists, report the request_id from the service log", ("request_id", requestId));

    /// <summary>Maps a domain failure onto its contract error.</summary>
    public static RpcError? FromException(Exception exception) => exception switch
    {
        RpcException rpc => rpc.Error,
        InvalidParameterException p => InvalidParams(p.Param, p.Rule, p.Message),
        NotFoundException n => Create(RpcErrorCodes.NotFound, "Not found", n.Message, n.Suggestion, ("resource", n.Resource), ("id", n.Id)),
        InvalidStateException s => Create(RpcErrorCodes.InvalidState, "Invalid state", s.Message, s.Suggestion, ("state", s.State), ("allowed_states", s.AllowedStates)),
        UnsupportedException u => Create(RpcErrorCodes.Unsupported, "Unsupported", u.Message, u.Suggestion, ("feature", u.Feature)),
        DependencyException d => Dependency(d),
        Media.Ffmpeg.MissingToolException or IOException or UnauthorizedAccessException => Dependency(Storage.StorageFailure.From(exception)),
        AuthenticationException a => AuthenticationRequired(a.Message),
        _ => null,
    };

    private static RpcError Dependency(DependencyException d)
    {
        var error = Create(RpcErrorCodes.DependencyFailed, "Dependency failed", d.Message, d.Suggestion, [("dependency", d.Dependency), ("detail", d.Detail), .. d.Extra.Select(e => (e.Key, e.Value))]);
        if (d.Reason is not null)
        {
            error.Data["reason"] = d.Reason;
        }

        return error;
    }

    private static string Reason(int code) => code switch
    {
        RpcErrorCodes.ParseError => "parse_error",
        RpcErrorCodes.InvalidRequest => "invalid_request",
        RpcErrorCodes.MethodNotFound => "method_not_found",
        RpcErrorCodes.InvalidParams => "invalid_params",
        RpcErrorCodes.AuthenticationRequired => "authentication_required",
        RpcErrorCodes.PermissionDenied => "permission_denied",
        RpcErrorCodes.NotFound => "not_found",
        RpcErrorCodes.InvalidState => "invalid_state",
        RpcErrorCodes.Unsupported => "unsupported",
        RpcErrorCodes.RateLimited => "rate_limited",
        RpcErrorCodes.DependencyFailed => "dependency_failed",
        _ => "internal_error",
    };

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
}

/// <summary>Thrown by method code to answer a specific contract error.</summary>
internal sealed class RpcException(RpcError error) : Exception(error.Message)
{
    public RpcError Error { get; } = error;
}

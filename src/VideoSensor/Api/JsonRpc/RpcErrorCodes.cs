using VideoSensor.Errors;

namespace VideoSensor.Api.JsonRpc;

/// <summary>The error codes of the API contract.</summary>
internal static class RpcErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = ErrorCodes.InvalidParams;
    public const int InternalError = -32603;
    public const int AuthenticationRequired = -32001;
    public const int PermissionDenied = -32002;
    public const int NotFound = ErrorCodes.NotFound;
    public const int InvalidState = ErrorCodes.InvalidState;
    public const int Unsupported = ErrorCodes.Unsupported;
    public const int RateLimited = -32040;
    public const int DependencyFailed = ErrorCodes.DependencyFailed;
}

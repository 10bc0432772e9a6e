namespace VideoSensor.Api.JsonRpc;

/// <summary>The error codes of the API contract.</summary>
internal static class RpcErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;
    public const int AuthenticationRequired = -32001;
    public const int PermissionDenied = -32002;
    public const int NotFound = -32010;
    public const int InvalidState = -32020;
    public const int Unsupported = -32030;
    public const int RateLimited = -32040;
    public const int DependencyFailed = -32050;
}

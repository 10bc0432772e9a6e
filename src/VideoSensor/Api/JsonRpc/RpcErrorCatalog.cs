namespace VideoSensor.Api.JsonRpc;

/// <summary>The message of each contract error code, as <see cref="RpcError"/> sends it, for <c>rpc.discover</c>.</summary>
internal static class RpcErrorCatalog
{
    public static IReadOnlyDictionary<int, string> Messages { get; } = new SortedDictionary<int, string>(Comparer<int>.Create((a, b) => b.CompareTo(a)))
    {
        [RpcErrorCodes.ParseError] = "Parse error",
        [RpcErrorCodes.InvalidRequest] = "Invalid Request",
        [RpcErrorCodes.MethodNotFound] = "Method not found",
        [RpcErrorCodes.InvalidParams] = "Invalid params",
        [RpcErrorCodes.InternalError] = "Internal error",
        [RpcErrorCodes.AuthenticationRequired] = "Authentication required",
        [RpcErrorCodes.PermissionDenied] = "Permission denied",
        [RpcErrorCodes.NotFound] = "Not found",
        [RpcErrorCodes.InvalidState] = "Invalid state",
        [RpcErrorCodes.Unsupported] = "Unsupported",
        [RpcErrorCodes.RateLimited] = "Rate limit exceeded",
        [RpcErrorCodes.DependencyFailed] = "Dependency failed",
    };
}

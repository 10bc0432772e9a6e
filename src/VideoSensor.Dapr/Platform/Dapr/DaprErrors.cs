using Dapr;
using Grpc.Core;

namespace VideoSensor.Platform.Dapr;

/// <summary>Sorts sidecar call failures: "the sidecar is away" (wait for it) versus "it answered no".</summary>
internal static class DaprErrors
{
    /// <summary>True when the failure says nothing answered: retry after the sidecar is back.</summary>
    public static bool IsUnavailable(Exception ex) => Status(ex) switch
    {
        StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.Unknown => true,
        null => ex is OperationCanceledException or HttpRequestException or TimeoutException,
        _ => false,
    };

    /// <summary>A short reason for logs and health: the gRPC status, never request data.</summary>
    public static string Describe(Exception ex) => Status(ex) is { } status
        ? $"gRPC {status}"
        : ex switch
        {
            OperationCanceledException => "timed out",
            SidecarApiException { ErrorCode: { } code } api => $"HTTP {(int)api.Status} {code}",
            SidecarApiException api => $"HTTP {(int)api.Status}",
            _ => ex.GetType().Name,
        };

    private static StatusCode? Status(Exception ex) => ex switch
    {
        RpcException rpc => rpc.StatusCode,
        DaprException { InnerException: { } inner } => Status(inner),
        _ => null,
    };
}

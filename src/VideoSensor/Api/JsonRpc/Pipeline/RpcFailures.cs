using Microsoft.Extensions.Logging;

namespace VideoSensor.Api.JsonRpc.Pipeline;

/// <summary>
/// What a method's failure answers: a domain failure its contract code (<see cref="RpcError.FromException"/>), a
/// cancelled call -32603 "Request cancelled", anything unexpected -32603 with a request id that points at the log
/// entry, never at the exception text.
/// </summary>
internal static partial class RpcFailures
{
    public static RpcError ToError(Exception exception, string method, ILogger logger)
    {
        var inner = Unwrap(exception);
        if (RpcError.FromException(inner) is { } error)
        {
            return error;
        }

        if (inner is OperationCanceledException)
        {
            return RpcError.Create(RpcErrorCodes.InternalError, "Request cancelled", "the request was cancelled before it finished", "retry");
        }

        var requestId = Guid.NewGuid().ToString("N")[..12];
        LogUnhandled(logger, inner, method, requestId);
        return RpcError.Internal(requestId);
    }

    private static Exception Unwrap(Exception exception) => exception switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => Unwrap(aggregate.InnerExceptions[0]),
        _ => exception,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in {Method} (request_id {RequestId})")]
    private static partial void LogUnhandled(ILogger logger, Exception ex, string method, string requestId);
}

using System.Reflection;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace VideoSensor.Api.JsonRpc;

/// <summary>
/// StreamJsonRpc with the contract's errors: domain failures map to their codes, and anything
/// unexpected becomes -32603 with a request id that points at the log entry, never at the exception text.
/// </summary>
internal sealed partial class SensorJsonRpc(IJsonRpcMessageHandler handler, ILogger logger) : StreamJsonRpc.JsonRpc(handler)
{
    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception)
    {
        var inner = Unwrap(exception);
        if (RpcError.FromException(inner) is { } error)
        {
            return error.ToDetail();
        }

        if (inner is LocalRpcException local)
        {
            return base.CreateErrorDetails(request, local);
        }

        if (inner is OperationCanceledException)
        {
            return RpcError.Create(RpcErrorCodes.InternalError, "Request cancelled", "the request was cancelled before it finished", "retry").ToDetail();
        }

        var requestId = Guid.NewGuid().ToString("N")[..12];
        LogUnhandled(logger, inner, request.Method ?? "", requestId);
        return RpcError.Internal(requestId).ToDetail();
    }

    private static Exception Unwrap(Exception exception) => exception switch
    {
        TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        AggregateException { InnerExceptions.Count: 1 } aggregate => Unwrap(aggregate.InnerExceptions[0]),
        _ => exception,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in {Method} (request_id {RequestId})")]
    private static partial void LogUnhandled(ILogger logger, Exception ex, string method, string requestId);
}

using Microsoft.Extensions.Logging;

namespace VideoSensor.Api.JsonRpc.Pipeline;

/// <summary>What the pipeline decided about one message.</summary>
internal enum AdmissionKind
{
    /// <summary>Run <see cref="Admission.Method"/> with <see cref="Admission.Request"/>.</summary>
    Dispatch,

    /// <summary>Answer <see cref="Admission.Error"/> to <see cref="Admission.Id"/>; the method never runs.</summary>
    Reply,

    /// <summary>Nothing to say: a failed notification, or a response from the client.</summary>
    Drop,
}

/// <summary>One message's way through the pipeline. <see cref="MethodName"/> is set once the method is known (for metrics).</summary>
internal readonly record struct Admission(AdmissionKind Kind, RpcId Id, RpcMethodInfo? Method = null, object? Request = null, RpcError? Error = null, string? MethodName = null);

/// <summary>
/// The JSON-RPC pipeline of one connection, composed here and only here, in this order: shape → rate → auth →
/// params → dispatch. Each step is a small class with one job and its own errors; the first that fails answers,
/// and the connection lives. The params are bound once, from the method's declared request type, and the bound
/// object is what the method receives.
/// </summary>
internal sealed partial class RpcPipeline(ShapeCheck shape, RateCheck rate, RpcSession session, ILogger logger)
{
    public Admission Admit(FrameKind kind, ReadOnlyMemory<byte> message)
    {
        // 1. shape
        var envelope = shape.Read(kind, message);
        using var document = envelope.Document;

        // 2. rate: spent by every frame, so it is asked even when the shape already failed, and its answer wins.
        if (rate.Spend() is { } limited)
        {
            // A notification over budget is dropped without a word, like any failed notification.
            return envelope.IsNotification ? new Admission(AdmissionKind.Drop, envelope.EchoId) : Reply(envelope.EchoId, limited, null);
        }

        if (envelope.Ignore)
        {
            return new Admission(AdmissionKind.Drop, envelope.Id);
        }

        if (envelope.Error is { } malformed)
        {
            // A malformed message is answered even without an id (with id null); a notification for an unknown method is not.
            return envelope.IsNotification && malformed.Code != RpcErrorCodes.InvalidRequest
                ? new Admission(AdmissionKind.Drop, envelope.Id)
                : Reply(envelope.Id, malformed, null);
        }

        var method = envelope.Method!;
        try
        {
            // 3. auth
            if (AuthCheck.Check(method, session) is { } denied)
            {
                return Refuse(envelope, denied);
            }

            // 4. params
            object? request = null;
            if (method.Params is { } binding && binding.TryBind(envelope.Params, out request) is { } invalid)
            {
                return Refuse(envelope, invalid);
            }

            // 5. dispatch (by the connection, off this receive loop)
            return new Admission(AdmissionKind.Dispatch, envelope.Id, method, request, MethodName: method.Name);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // A message no step foresaw is the service's bug, not the client's: -32603 with an id for the log.
            var requestId = Guid.NewGuid().ToString("N")[..12];
            LogStepFailed(logger, ex, method.Name, requestId);
            return Refuse(envelope, RpcError.Internal(requestId));
        }
    }

    /// <summary>A failed notification is dropped silently, as JSON-RPC 2.0 says; a request gets the error.</summary>
    private static Admission Refuse(in Envelope envelope, RpcError error) =>
        envelope.IsNotification ? new Admission(AdmissionKind.Drop, envelope.Id, MethodName: envelope.MethodName, Error: error) : Reply(envelope.Id, error, envelope.MethodName);

    private static Admission Reply(RpcId id, RpcError error, string? methodName) => new(AdmissionKind.Reply, id, Error: error, MethodName: methodName);

    [LoggerMessage(Level = LogLevel.Error, Message = "Checking a {Method} request failed unexpectedly (request_id {RequestId})")]
    private static partial void LogStepFailed(ILogger logger, Exception ex, string method, string requestId);
}

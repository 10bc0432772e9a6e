using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Api.JsonRpc.Pipeline;
using VideoSensor.Hosting.Telemetry;
using VideoSensor.Telemetry;

namespace VideoSensor.Api.JsonRpc;

/// <summary>
/// Carries JSON-RPC over one WebSocket, one text frame per message: reads frames, hands each to the connection's
/// <see cref="RpcPipeline"/>, runs what it admits on the thread pool (requests on one connection run concurrently,
/// so a slow snapshot never holds up a ping) and writes results, errors and notifications. Whatever the pipeline
/// refuses is answered here with the contract's error and the connection stays open. Buffers are sized to what they
/// hold: an idle connection keeps a 1 KB receive buffer (a larger message's is given back once it is read) and no send
/// buffer (each answer rents one from the shared pool).
/// </summary>
internal sealed partial class WebSocketRpcHandler : IDisposable
{
    /// <summary>What a message is first read into; most are far smaller, a larger one grows it up to the limit.</summary>
    private const int FirstReceiveSize = 1024;

    private readonly Microsoft.Extensions.Logging.ILogger _logger;
    private readonly WebSocket _socket;
    private readonly RpcPipeline _pipeline;
    private readonly SensorMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly int _maxMessageBytes;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly PooledBufferWriter _sendBuffer = new();
    private readonly Utf8JsonWriter _writer;
    private readonly CancellationTokenSource _lifetime = new();

    /// <summary>Cancelled when the connection ends; read once, so calls finishing after <see cref="Dispose"/> still see it.</summary>
    private readonly CancellationToken _closed;
    private IServiceProvider? _scope;

    /// <summary>The connection's method group instances by <see cref="RpcMethodInfo.GroupIndex"/>, each resolved at its first call.</summary>
    private object?[] _groups = [];

    /// <summary>What messages are read into: <see cref="FirstReceiveSize"/>, or the larger one the current message needed.</summary>
    private byte[] _receiveBuffer = new byte[FirstReceiveSize];

    public WebSocketRpcHandler(WebSocket socket, RpcPipeline pipeline, SensorMetrics metrics, TimeProvider time, int maxMessageBytes, Microsoft.Extensions.Logging.ILogger logger)
    {
        _logger = logger;
        _socket = socket;
        _pipeline = pipeline;
        _metrics = metrics;
        _time = time;
        _maxMessageBytes = maxMessageBytes;
        _writer = new Utf8JsonWriter(_sendBuffer, RpcWire.WriterOptions);
        _closed = _lifetime.Token;
    }

    /// <summary>
    /// Reads and answers messages until the peer closes or <paramref name="cancellationToken"/> fires; then cancels
    /// the calls still running (their answers have nowhere to go).
    /// </summary>
    /// <param name="scope">The connection's services, where its method groups are resolved.</param>
    /// <param name="groupCount">How many method groups the catalog has.</param>
    public async Task RunAsync(IServiceProvider scope, int groupCount, CancellationToken cancellationToken)
    {
        _scope = scope;
        _groups = new object?[groupCount];
        using var stop = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _lifetime);
        try
        {
            while (true)
            {
                var (length, outcome) = await ReceiveMessageAsync(_closed).ConfigureAwait(false);
                if (outcome == ReceiveOutcome.Closed)
                {
                    return;
                }

                var kind = outcome switch
                {
                    ReceiveOutcome.TooLarge => FrameKind.TooLarge,
                    ReceiveOutcome.Binary => FrameKind.Binary,
                    _ => FrameKind.Text,
                };

                // The pipeline is done with the receive buffer when Admit returns: the params are bound by then.
                var admission = _pipeline.Admit(kind, _receiveBuffer.AsMemory(0, length));
                if (_receiveBuffer.Length > FirstReceiveSize)
                {
                    // A large message's buffer is not kept for the small ones that follow.
                    _receiveBuffer = new byte[FirstReceiveSize];
                }

                await ActAsync(admission).ConfigureAwait(false);
            }
        }
        finally
        {
            await _lifetime.CancelAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask ActAsync(Admission admission)
    {
        if (admission.Error is { } error && admission.MethodName is { } name)
        {
            _metrics.RpcCall(name, error.Code, TimeSpan.Zero);
        }

        switch (admission.Kind)
        {
            case AdmissionKind.Dispatch:
                var method = admission.Method!;
                var group = _groups[method.GroupIndex] ??= _scope!.GetRequiredService(method.GroupType);
                ThreadPool.UnsafeQueueUserWorkItem(new RpcCall(this, method, group, admission.Request, admission.Id, _time.GetTimestamp()), preferLocal: false);
                break;
            case AdmissionKind.Reply:
                await SendErrorAsync(admission.Id, admission.Error!).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Runs one admitted call and answers it (a notification's outcome goes nowhere).</summary>
    private async Task CompleteCallAsync(RpcCall call)
    {
        object? result = null;
        RpcError? error = null;
        try
        {
            result = await call.Method.Invoke(call.Group, call.Request, _closed).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            error = RpcFailures.ToError(ex, call.Method.Name, _logger);
        }

        if (call.Id.IsAbsent)
        {
            return;
        }

        _metrics.RpcCall(call.Method.Name, error?.Code, _time.GetElapsedTime(call.Started));
        try
        {
            if (error is null)
            {
                await SendResultAsync(call, result).ConfigureAwait(false);
            }
            else
            {
                await SendErrorAsync(call.Id, error).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection went away while the call ran; its answer has nobody to go to.
        }
    }

    /// <summary>Sends a notification (an event, a status change) to this client.</summary>
    public async ValueTask SendNotificationAsync(string method, JsonElement parameters, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Begin();
            RpcWire.WriteNotification(_writer, method, parameters);
            await FlushAndSendAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendBuffer.Release();
            _sendLock.Release();
        }
    }

    private async ValueTask SendResultAsync(RpcCall call, object? result)
    {
        await _sendLock.WaitAsync(_closed).ConfigureAwait(false);
        try
        {
            Begin();
            try
            {
                RpcWire.WriteResult(_writer, call.Id, result, call.Method.ResultInfo);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
            {
                // A result the serializer refuses (a NaN, a cycle) is the service's bug: -32603 instead of half a message.
                Begin();
                RpcWire.WriteError(_writer, call.Id, RpcFailures.ToError(ex, call.Method.Name, _logger));
            }

            await FlushAndSendAsync(_closed).ConfigureAwait(false);
        }
        finally
        {
            _sendBuffer.Release();
            _sendLock.Release();
        }
    }

    /// <summary>Answers an error: a message the pipeline refused, or a call that failed.</summary>
    private async ValueTask SendErrorAsync(RpcId id, RpcError error)
    {
        await _sendLock.WaitAsync(_closed).ConfigureAwait(false);
        try
        {
            Begin();
            RpcWire.WriteError(_writer, id, error);
            await FlushAndSendAsync(_closed).ConfigureAwait(false);
        }
        finally
        {
            _sendBuffer.Release();
            _sendLock.Release();
        }
    }

    /// <summary>Starts a message in the send buffer (rented when first written to); callers hold the send lock.</summary>
    private void Begin()
    {
        _sendBuffer.Release();
        _writer.Reset(_sendBuffer);
    }

    private async ValueTask FlushAndSendAsync(CancellationToken cancellationToken)
    {
        _writer.Flush();
        await _socket.SendAsync(_sendBuffer.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
    }

    private enum ReceiveOutcome
    {
        Message,
        Closed,
        TooLarge,
        Binary,
    }

    /// <summary>Reads one message into <see cref="_receiveBuffer"/>, growing it (up to the limit) for a large one.</summary>
    private async ValueTask<(int Length, ReceiveOutcome Outcome)> ReceiveMessageAsync(CancellationToken cancellationToken)
    {
        var buffer = _receiveBuffer;
        var length = 0;
        var tooLarge = false;
        long discarded = 0;
        while (true)
        {
            if (length == buffer.Length && !tooLarge)
            {
                if (buffer.Length >= _maxMessageBytes)
                {
                    tooLarge = true;
                }
                else
                {
                    Array.Resize(ref buffer, Math.Min(_maxMessageBytes, buffer.Length * 2));
                    _receiveBuffer = buffer;
                }
            }

            // Past the limit the rest of the message is read into the same space and dropped.
            var target = tooLarge ? buffer.AsMemory(0, Math.Min(buffer.Length, 64 * 1024)) : buffer.AsMemory(length);
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(target, cancellationToken).ConfigureAwait(false);
            }
            catch (WebSocketException)
            {
                return (0, ReceiveOutcome.Closed);
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (0, ReceiveOutcome.Closed);
            }

            if (tooLarge)
            {
                discarded += result.Count;
            }
            else
            {
                length += result.Count;
            }

            if (result.EndOfMessage)
            {
                if (tooLarge || length > _maxMessageBytes)
                {
                    return (0, ReceiveOutcome.TooLarge);
                }

                return result.MessageType == WebSocketMessageType.Binary ? (0, ReceiveOutcome.Binary) : (length, ReceiveOutcome.Message);
            }

            // A sender that keeps going far past the limit is cut off rather than read forever.
            if (discarded > 16L * _maxMessageBytes)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "message too large", cancellationToken).ConfigureAwait(false);
                return (0, ReceiveOutcome.Closed);
            }
        }
    }

    public void Dispose()
    {
        _sendLock.Dispose();
        _writer.Dispose();
        _sendBuffer.Release();
        _lifetime.Dispose();
    }

    /// <summary>
    /// One admitted call on its way to the thread pool: the method, its group, the bound params, the id to answer.
    /// It is the work item itself, so queuing it allocates nothing more.
    /// </summary>
    private sealed record RpcCall(WebSocketRpcHandler Handler, RpcMethodInfo Method, object Group, object? Request, RpcId Id, long Started) : IThreadPoolWorkItem
    {
        public void Execute() => _ = Handler.CompleteCallAsync(this);
    }
}

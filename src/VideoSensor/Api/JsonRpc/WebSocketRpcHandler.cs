using VideoSensor.Contracts;
using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;
using VideoSensor.Hosting.Telemetry;
using VideoSensor.Telemetry;

namespace VideoSensor.Api.JsonRpc;

/// <summary>
/// Carries JSON-RPC messages over one WebSocket: one text frame per message. Every incoming message
/// passes size, rate, shape, auth and param checks first (<see cref="RequestGate"/>); failures are
/// answered here with the contract's errors and the connection stays open.
/// </summary>
internal sealed partial class WebSocketRpcHandler : IJsonRpcMessageHandler, IDisposable
{
    /// <summary>Duplicate keys are refused: which of two <c>id</c>s or <c>device</c>s counts would be a guess.</summary>
    private static readonly JsonDocumentOptions StrictJson = new() { MaxDepth = 64, AllowDuplicateProperties = false };
    private static readonly JsonDocumentOptions LenientJson = new() { MaxDepth = 64 };
    private readonly Microsoft.Extensions.Logging.ILogger _logger;
    private readonly WebSocket _socket;
    private readonly SystemTextJsonFormatter _formatter;
    private readonly RequestGate _gate;
    private readonly RpcSession _session;
    private readonly TokenBucket _bucket;
    private readonly SensorMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly int _maxMessageBytes;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _sendBuffer = new(1024);
    private readonly ConcurrentDictionary<RequestId, (string Method, long Started)> _inFlight = new();
    private byte[] _receiveBuffer = new byte[4096];

    public WebSocketRpcHandler(WebSocket socket, RequestGate gate, RpcSession session, TokenBucket bucket, SensorMetrics metrics, TimeProvider time, int maxMessageBytes, Microsoft.Extensions.Logging.ILogger logger)
    {
        _logger = logger;
        _socket = socket;
        _gate = gate;
        _session = session;
        _bucket = bucket;
        _metrics = metrics;
        _time = time;
        _maxMessageBytes = maxMessageBytes;
        _formatter = new SystemTextJsonFormatter { JsonSerializerOptions = ApiJson.Options };
    }

    public bool CanRead => true;
    public bool CanWrite => true;
    public IJsonRpcMessageFormatter Formatter => _formatter;

    /// <summary>Messages answered here without dispatch (bad JSON, auth, limits…), for tests and metrics.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);
    private long _rejected;

    public async ValueTask<JsonRpcMessage?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (length, outcome) = await ReceiveMessageAsync(cancellationToken).ConfigureAwait(false);
            if (outcome == ReceiveOutcome.Closed)
            {
                return null;
            }

            // Every frame spends from the budget, well-formed or not: a flood of garbage costs the service as
            // much as a flood of requests.
            var withinBudget = _bucket.TryTake(out var retryAfter);
            var rateLimited = RpcError.RateLimited(retryAfter, "too many messages on this connection");
            switch (outcome)
            {
                case ReceiveOutcome.TooLarge:
                    await RejectAsync(null, withinBudget ? RpcError.Create(RpcErrorCodes.InvalidRequest, "Invalid Request", $"the message exceeds the limit of {_maxMessageBytes} bytes", "send smaller messages", ("max_message_bytes", _maxMessageBytes)) : rateLimited, cancellationToken).ConfigureAwait(false);
                    continue;
                case ReceiveOutcome.Binary:
                    await RejectAsync(null, withinBudget ? RpcError.InvalidRequest("binary frames are not supported; send JSON text frames") : rateLimited, cancellationToken).ConfigureAwait(false);
                    continue;
            }

            // A copy per message: StreamJsonRpc may read the params after the next receive reuses the buffer.
            var message = _receiveBuffer.AsMemory(0, length).ToArray();
            var (document, parseError) = Parse(message);
            if (document is null)
            {
                await RejectAsync(null, withinBudget ? parseError! : rateLimited, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using (document)
            {
                var root = document.RootElement;
                var isRequest = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("method", out _);
                if (!withinBudget)
                {
                    // A notification over budget is dropped without a word, like any failed notification.
                    if (!isRequest || root.TryGetProperty("id", out _))
                    {
                        await RejectAsync(IdOf(root), rateLimited, cancellationToken).ConfigureAwait(false);
                    }

                    continue;
                }

                RequestGate.Verdict verdict;
                try
                {
                    verdict = _gate.Check(root, _session);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    // A message the gate did not foresee is its bug, not the client's: -32603 with an id for the log,
                    // and the connection goes on.
                    var requestId = Guid.NewGuid().ToString("N")[..12];
                    LogGateFailed(_logger, ex, requestId);
                    await RejectAsync(IdOf(root), RpcError.Internal(requestId), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (verdict.Ignore)
                {
                    continue;
                }

                if (verdict.Error is { } error)
                {
                    if (verdict.Method is not null)
                    {
                        _metrics.RpcCall(verdict.Method, error.Code, TimeSpan.Zero);
                    }

                    // A notification (no id) that fails is dropped silently, as JSON-RPC 2.0 says; malformed ones are answered with id null.
                    var isNotification = isRequest && !root.TryGetProperty("id", out _) && error.Code != RpcErrorCodes.InvalidRequest;
                    if (!isNotification)
                    {
                        await RejectAsync(verdict.Id?.Clone(), error, cancellationToken).ConfigureAwait(false);
                    }

                    continue;
                }

                if (verdict.Rewrite != RequestGate.ParamsRewrite.None)
                {
                    message = Rewrite(root, verdict.Rewrite);
                }
            }

            JsonRpcMessage parsed;
            try
            {
                parsed = _formatter.Deserialize(new ReadOnlySequence<byte>(message));
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or FormatException)
            {
                await RejectAsync(null, RpcError.InvalidRequest("the request could not be read"), cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (parsed is JsonRpcRequest { IsResponseExpected: true } request)
            {
                _inFlight[request.RequestId] = (request.Method ?? "", _time.GetTimestamp());
            }

            return parsed;
        }
    }

    public async ValueTask WriteAsync(JsonRpcMessage content, CancellationToken cancellationToken)
    {
        if (content is IJsonRpcMessageWithId withId && _inFlight.TryRemove(withId.RequestId, out var call))
        {
            _metrics.RpcCall(call.Method, content is JsonRpcError e ? (int?)e.Error?.Code : null, _time.GetElapsedTime(call.Started));
        }

        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _sendBuffer.ResetWrittenCount();
            _formatter.Serialize(_sendBuffer, content);
            await _socket.SendAsync(_sendBuffer.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>The message as a document, or the error it gets: -32600 for repeated keys, -32700 for anything else.</summary>
    private static (JsonDocument? Document, RpcError? Error) Parse(byte[] message)
    {
        try
        {
            return (JsonDocument.Parse(message, StrictJson), null);
        }
        catch (JsonException)
        {
            // Parsed again only on failure, to tell a repeated key (well-formed JSON, an invalid request) from bad JSON.
            try
            {
                JsonDocument.Parse(message, LenientJson).Dispose();
                return (null, RpcError.InvalidRequest("the message repeats a key; each key may appear once per object"));
            }
            catch (JsonException)
            {
                return (null, RpcError.ParseError("the message is not valid JSON"));
            }
        }
    }

    /// <summary>The request's id when it has a usable one (a string, an integer or null), for replies outside dispatch.</summary>
    private static JsonElement? IdOf(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out var id) && id.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null
            ? id.Clone()
            : null;

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Error, Message = "Request check failed unexpectedly (request_id {RequestId})")]
    private static partial void LogGateFailed(Microsoft.Extensions.Logging.ILogger logger, Exception ex, string requestId);

    private static byte[] Rewrite(JsonElement request, RequestGate.ParamsRewrite rewrite)
    {
        var node = System.Text.Json.Nodes.JsonObject.Create(request)!;
        if (rewrite == RequestGate.ParamsRewrite.AddEmpty)
        {
            node["params"] = new System.Text.Json.Nodes.JsonObject();
        }
        else
        {
            node.Remove("params");
        }

        return JsonSerializer.SerializeToUtf8Bytes(node);
    }

    /// <summary>Answers a message that never reached dispatch.</summary>
    private async ValueTask RejectAsync(JsonElement? id, RpcError error, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _rejected);
        var response = new Dictionary<string, object?>
        {
            ["jsonrpc"] = "2.0",
            ["error"] = new Dictionary<string, object?> { ["code"] = error.Code, ["message"] = error.Message, ["data"] = error.Data },
            ["id"] = id,
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(response, ApiJson.Options);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private enum ReceiveOutcome
    {
        Message,
        Closed,
        TooLarge,
        Binary,
    }

    private async ValueTask<(int Length, ReceiveOutcome Outcome)> ReceiveMessageAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        var tooLarge = false;
        long discarded = 0;
        while (true)
        {
            if (length == _receiveBuffer.Length && !tooLarge)
            {
                if (_receiveBuffer.Length >= _maxMessageBytes)
                {
                    tooLarge = true;
                }
                else
                {
                    Array.Resize(ref _receiveBuffer, Math.Min(_maxMessageBytes, _receiveBuffer.Length * 2));
                }
            }

            // Past the limit the rest of the message is read into the same space and dropped.
            var target = tooLarge ? _receiveBuffer.AsMemory(0, Math.Min(_receiveBuffer.Length, 64 * 1024)) : _receiveBuffer.AsMemory(length);
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

    public void Dispose() => _sendLock.Dispose();
}

using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace VideoSensor.Tests.Fixtures;

/// <summary>A JSON-RPC response: result or error, as the wire carried it.</summary>
public sealed record RpcResponse(JsonElement Raw)
{
    public JsonElement Result => Raw.GetProperty("result");
    public bool IsError => Raw.TryGetProperty("error", out _);
    public int ErrorCode => Raw.GetProperty("error").GetProperty("code").GetInt32();
    public JsonElement ErrorData => Raw.GetProperty("error").GetProperty("data");

    public RpcResponse EnsureSuccess() => IsError ? throw new InvalidOperationException($"RPC error: {Raw}") : this;

    public override string ToString() => Raw.ToString();
}

/// <summary>
/// A real WebSocket JSON-RPC client: matches responses to requests by id, and queues server
/// notifications (and id-less error replies) for the test to read.
/// </summary>
public sealed class RpcTestClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<RpcResponse>> _pending = new();
    private readonly Channel<JsonElement> _notifications = Channel.CreateUnbounded<JsonElement>();
    private readonly Channel<JsonElement> _orphans = Channel.CreateUnbounded<JsonElement>();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiver;
    private long _nextId;

    private RpcTestClient(ClientWebSocket socket)
    {
        _socket = socket;
        _receiver = Task.Run(ReceiveLoopAsync);
    }

    public WebSocketState State => _socket.State;
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<RpcTestClient> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        await socket.ConnectAsync(uri, cancellationToken);
        return new RpcTestClient(socket);
    }

    public async Task<RpcResponse> CallAsync(string method, object? parameters = null, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<RpcResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        var message = parameters is null
            ? JsonSerializer.Serialize(new { jsonrpc = "2.0", method, id })
            : JsonSerializer.Serialize(new { jsonrpc = "2.0", method, @params = parameters, id });
        await SendRawAsync(message, cancellationToken);
        return await tcs.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30), cancellationToken);
    }

    public async Task NotifyAsync(string method, object? parameters = null, CancellationToken cancellationToken = default) =>
        await SendRawAsync(JsonSerializer.Serialize(new { jsonrpc = "2.0", method, @params = parameters }), cancellationToken);

    /// <summary>Sends any text as one frame (for malformed-input tests).</summary>
    public async Task SendRawAsync(string text, CancellationToken cancellationToken = default) =>
        await SendBytesAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, cancellationToken);

    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type, CancellationToken cancellationToken = default)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(bytes, type, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>The next reply that matched no pending call (errors for malformed input carry id null).</summary>
    public async Task<JsonElement> NextOrphanAsync(TimeSpan? timeout = null) =>
        await _orphans.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(10));

    /// <summary>The next notification with this method name; others before it are skipped.</summary>
    public async Task<JsonElement> NextNotificationAsync(string method, TimeSpan? timeout = null, Func<JsonElement, bool>? where = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var message = await _notifications.Reader.ReadAsync(cts.Token);
            if (message.GetProperty("method").GetString() == method && (where is null || where(message.GetProperty("params"))))
            {
                return message.GetProperty("params");
            }
        }
    }

    /// <summary>Notifications received so far and not yet read.</summary>
    public List<JsonElement> DrainNotifications()
    {
        var list = new List<JsonElement>();
        while (_notifications.Reader.TryRead(out var message))
        {
            list.Add(message);
        }

        return list;
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var element = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                message.SetLength(0);
                Dispatch(element);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // Closed by either side.
        }
        finally
        {
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new WebSocketException("connection closed"));
            }

            _notifications.Writer.TryComplete();
            _orphans.Writer.TryComplete();
        }
    }

    private void Dispatch(JsonElement element)
    {
        if (element.TryGetProperty("method", out _) && !element.TryGetProperty("id", out _))
        {
            _notifications.Writer.TryWrite(element);
            return;
        }

        if (element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && _pending.TryRemove(id.GetInt64(), out var tcs))
        {
            tcs.TrySetResult(new RpcResponse(element));
            return;
        }

        _orphans.Writer.TryWrite(element);
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // Server already gone.
            }
        }

        _stop.Cancel();
        await _receiver.ConfigureAwait(false);
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}

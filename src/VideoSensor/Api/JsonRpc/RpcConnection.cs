using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace VideoSensor.Api.JsonRpc;

/// <summary>
/// One client on the WebSocket: its session, its scope (where its method groups are resolved, each at its first
/// call), the handler that carries its messages, and an outbound queue for notifications, so a slow client only ever
/// slows itself. The queue and the task that drains it are made at the first notification: a connection that never
/// gets one pays for neither.
/// </summary>
internal sealed partial class RpcConnection : IAsyncDisposable
{
    private readonly Lock _outboxGate = new();
    private readonly WebSocketRpcHandler _handler;
    private readonly IServiceProvider _scope;
    private readonly int _groupCount;
    private readonly int _queueCapacity;
    private readonly ILogger _logger;
    private Channel<(string Method, JsonElement Params)>? _outbox;
    private Task? _sender;
    private bool _ended;
    private CancellationToken _stopping;
    private long _dropped;

    public RpcConnection(WebSocket socket, RpcSession session, IServiceProvider scope, RpcMethodCatalog catalog, WebSocketRpcHandler handler, int queueCapacity, ILogger logger)
    {
        Session = session;
        _handler = handler;
        _scope = scope;
        _groupCount = catalog.GroupCount;
        _queueCapacity = queueCapacity;
        _logger = logger;
        Socket = socket;
    }

    public RpcSession Session { get; }
    public WebSocket Socket { get; }

    /// <summary>Notifications dropped because this client did not keep up.</summary>
    public long DroppedNotifications => Interlocked.Read(ref _dropped);

    public int QueuedNotifications => Volatile.Read(ref _outbox)?.Reader.Count ?? 0;

    /// <summary>Queues a notification; never blocks (the oldest is dropped and counted when the queue is full).</summary>
    public void Notify(string method, JsonElement parameters) => (Volatile.Read(ref _outbox) ?? OpenOutbox())?.Writer.TryWrite((method, parameters));

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _stopping = cancellationToken;
        try
        {
            await _handler.RunAsync(_scope, _groupCount, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            LogConnectionEnded(_logger, Session.ClientId, ex.GetType().Name);
        }

        if (CloseOutbox() is { } sender)
        {
            await sender.ConfigureAwait(false);
        }
        else
        {
            // One turn of the thread pool before the socket is disposed, as waiting for the sender gave before the queue
            // was made lazily: a close the WebSocket layer just sent (1007 for bad UTF-8) then reaches the client instead
            // of being lost to the reset of a socket closed at once (MalformedMessageTests). A timing margin, not a
            // handshake: waiting for the client's close in that state is the real fix, left for later.
            await Task.Yield();
        }
    }

    /// <summary>The queue, made (with its sender) by the first notification; null once the connection has ended.</summary>
    private Channel<(string Method, JsonElement Params)>? OpenOutbox()
    {
        lock (_outboxGate)
        {
            if (_outbox is null && !_ended)
            {
                var outbox = Channel.CreateBounded<(string, JsonElement)>(new BoundedChannelOptions(_queueCapacity)
                {
                    FullMode = BoundedChannelFullMode.DropOldest,
                    SingleReader = true,
                }, _ => Interlocked.Increment(ref _dropped));
                _sender = SendNotificationsAsync(outbox.Reader, _stopping);
                Volatile.Write(ref _outbox, outbox);
            }

            return _outbox;
        }
    }

    /// <summary>Ends the queue (later notifications go nowhere) and gives the sender to wait for, if there is one.</summary>
    private Task? CloseOutbox()
    {
        lock (_outboxGate)
        {
            _ended = true;
            _outbox?.Writer.TryComplete();
            return _sender;
        }
    }

    private async Task SendNotificationsAsync(ChannelReader<(string Method, JsonElement Params)> reader, CancellationToken cancellationToken)
    {
        // Started on the notifying thread, it returns there at its first await: the queue is still empty then.
        try
        {
            await foreach (var (method, parameters) in reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await _handler.SendNotificationAsync(method, parameters, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The connection is going away; what is left in the queue has nobody to go to.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _ = CloseOutbox();
        _handler.Dispose();
        if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The peer is gone already.
            }
        }

        Socket.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {Client} ended: {Reason}")]
    private static partial void LogConnectionEnded(ILogger logger, string client, string reason);
}

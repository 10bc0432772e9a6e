using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VideoSensor.Api.JsonRpc;

/// <summary>
/// One client on the WebSocket: its session, its method groups (resolved once from the connection's scope), the
/// handler that carries its messages, and an outbound queue for notifications, so a slow client only ever slows
/// itself.
/// </summary>
internal sealed partial class RpcConnection : IAsyncDisposable
{
    private readonly Channel<(string Method, JsonElement Params)> _outbox;
    private readonly WebSocketRpcHandler _handler;
    private readonly object[] _groups;
    private readonly ILogger _logger;
    private long _dropped;

    public RpcConnection(WebSocket socket, RpcSession session, IServiceProvider scope, RpcMethodCatalog catalog, WebSocketRpcHandler handler, int queueCapacity, ILogger logger)
    {
        Session = session;
        _handler = handler;
        _logger = logger;
        _outbox = Channel.CreateBounded<(string, JsonElement)>(new BoundedChannelOptions(queueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        }, _ => Interlocked.Increment(ref _dropped));
        _groups = [.. catalog.Methods.Select(m => scope.GetRequiredService(m.GroupType))];
        Socket = socket;
    }

    public RpcSession Session { get; }
    public WebSocket Socket { get; }

    /// <summary>Notifications dropped because this client did not keep up.</summary>
    public long DroppedNotifications => Interlocked.Read(ref _dropped);

    public int QueuedNotifications => _outbox.Reader.Count;

    /// <summary>Queues a notification; never blocks (the oldest is dropped and counted when the queue is full).</summary>
    public void Notify(string method, JsonElement parameters) => _outbox.Writer.TryWrite((method, parameters));

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var sender = SendNotificationsAsync(cancellationToken);
        try
        {
            await _handler.RunAsync(_groups, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            LogConnectionEnded(_logger, Session.ClientId, ex.GetType().Name);
        }

        _outbox.Writer.TryComplete();
        await sender.ConfigureAwait(false);
    }

    private async Task SendNotificationsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (method, parameters) in _outbox.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
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
        _outbox.Writer.TryComplete();
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

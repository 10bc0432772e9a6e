using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.EventContract;
using VideoSensor.Events;

using VideoSensor.Configuration;

namespace VideoSensor.Platform.Dapr;

/// <summary>
/// Every event to Dapr pub/sub as a CloudEvent, on topic <c>topic_prefix + topic</c> (the topic and fields
/// <see cref="EventWire"/> gives the event, as the WebSocket notifications have them). Publishing only
/// queues (EventHub.Publish never waits on the sidecar); one sender delivers in order. While the sidecar
/// is away the sender holds the current event and waits for it to come back; the queue is bounded and
/// drops its oldest events past <c>buffer_size</c>.
/// </summary>
internal sealed partial class DaprEventPublisher : BackgroundService, IEventSink, IPlatformPublisher
{
    private const int MaxRejections = 3;
    private readonly DaprSidecar _sidecar;
    private readonly SidecarMonitor _monitor;
    private readonly DaprOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DaprEventPublisher> _logger;
    private readonly Channel<Outgoing> _queue;
    private readonly string _source;
    private long _enqueued;
    private long _completed;
    private long _dropped;
    private long _delivered;
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DaprEventPublisher(DaprSidecar sidecar, SidecarMonitor monitor, IOptions<DaprOptions> options, TimeProvider time, ILogger<DaprEventPublisher> logger)
    {
        _sidecar = sidecar;
        _monitor = monitor;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _source = CloudEventEnvelope.Source(sidecar.AppId, sidecar.InstanceId);
        _queue = Channel.CreateBounded<Outgoing>(
            new BoundedChannelOptions(_options.BufferSize) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            OnDropped);
    }

    public bool Enabled => _sidecar.IsActive;

    /// <summary>Events queued and not yet delivered (or given up on).</summary>
    public long Pending => Interlocked.Read(ref _enqueued) - Interlocked.Read(ref _completed);
    public long Dropped => Interlocked.Read(ref _dropped);
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>The pub/sub topic an event goes to.</summary>
    public string TopicOf(string topic) => _options.TopicPrefix + topic;

    void IEventSink.Publish(SensorEvent sensorEvent) => Enqueue(sensorEvent);

    public void Enqueue(SensorEvent sensorEvent)
    {
        if (!Enabled)
        {
            return;
        }

        var outgoing = new Outgoing(sensorEvent, Interlocked.Increment(ref _enqueued));
        if (!_queue.Writer.TryWrite(outgoing))
        {
            Complete();
        }
    }

    public async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref _enqueued);
        while (Interlocked.Read(ref _completed) < target)
        {
            Task progress;
            lock (_queue)
            {
                progress = _progress.Task;
            }

            if (Interlocked.Read(ref _completed) >= target)
            {
                break;
            }

            try
            {
                await progress.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var item in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await DeliverAsync(item, stoppingToken).ConfigureAwait(false);
                Complete();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is left stays undelivered; the registration already flushed what mattered.
        }
    }

    private async Task DeliverAsync(Outgoing item, CancellationToken stoppingToken)
    {
        WireEvent? wire;
        byte[] payload;
        try
        {
            wire = item.Event is PlatformEvent platform ? platform.ToWire() : EventWire.ToWire(item.Event);
            if (wire is null)
            {
                // Not in the contract: nothing the platform knows how to read.
                return;
            }

            payload = CloudEventEnvelope.Serialize(wire, Guid.CreateVersion7(wire.Time).ToString(), _source);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException)
        {
            // One event that cannot be written must not stop the sender (and with it every later event).
            LogUnwritable(_logger, item.Event.GetType().Name, ex.Message);
            return;
        }

        var topic = TopicOf(wire.Topic);
        var rejections = 0;
        while (true)
        {
            await _monitor.WaitAvailableAsync(stoppingToken).ConfigureAwait(false);
            try
            {
                using var scope = _sidecar.CallScope(stoppingToken);
                await _sidecar.Client.PublishByteEventAsync(_options.PubSubName, topic, payload, CloudEventEnvelope.ContentType, cancellationToken: scope.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _delivered);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (DaprErrors.IsUnavailable(ex))
                {
                    // Keep this event and wait for the sidecar; the monitor re-checks it right away.
                    _monitor.ReportFailure(DaprErrors.Describe(ex));
                    continue;
                }

                // The sidecar answered "no" (unknown pub/sub, broker error): a few tries, then give up on
                // this one event so that one poison message never stops the rest.
                if (++rejections >= MaxRejections)
                {
                    LogGaveUp(_logger, topic, DaprErrors.Describe(ex));
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250 * rejections), _time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private void OnDropped(Outgoing item)
    {
        if (Interlocked.Increment(ref _dropped) == 1 || _dropped % 100 == 0)
        {
            LogDropped(_logger, _options.BufferSize, Dropped);
        }

        Complete();
    }

    private void Complete()
    {
        Interlocked.Increment(ref _completed);
        TaskCompletionSource done;
        lock (_queue)
        {
            done = _progress;
            _progress = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        done.TrySetResult();
    }

    private sealed record Outgoing(SensorEvent Event, long Sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dapr event buffer full ({Capacity}): dropped the oldest events, {Dropped} so far")]
    private static partial void LogDropped(ILogger logger, int capacity, long dropped);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write {Event} as a CloudEvent: {Reason}")]
    private static partial void LogUnwritable(ILogger logger, string @event, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up publishing an event to {Topic}: the sidecar refused it ({Reason})")]
    private static partial void LogGaveUp(ILogger logger, string topic, string reason);
}

using VideoSensor.Media.Capacity;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Health;
using VideoSensor.Platform.Dapr;
using VideoSensor.EventContract;
using VideoSensor.Events;

using VideoSensor.Configuration;

namespace VideoSensor.Platform.Registration;

/// <summary>
/// Tells the platform this sensor exists: <c>sensor.registered</c> once the host is ready (and again
/// whenever the sidecar comes back, in case the aggregator missed it), <c>sensor.heartbeat</c> with
/// health and capacity every <c>heartbeat_seconds</c> while the sidecar answers, and
/// <c>sensor.deregistered</c> on a clean shutdown, flushed before the publisher stops.
/// </summary>
internal sealed partial class SensorRegistration(
    IPlatformPublisher publisher,
    SensorDescription description,
    HealthReporter health,
    SidecarMonitor monitor,
    IHostApplicationLifetime lifetime,
    IOptions<DaprOptions> options,
    DaprSidecar sidecar,
    TimeProvider time,
    ILogger<SensorRegistration> logger) : BackgroundService
{
    private volatile bool _registered;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!publisher.Enabled)
        {
            return;
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        }

        Register("ready");
        monitor.AvailabilityChanged += OnAvailability;
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds), time);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                // A heartbeat is only news while it is fresh: none are queued while the sidecar is away.
                if (monitor.IsAvailable)
                {
                    var report = await health.ReportAsync(stoppingToken).ConfigureAwait(false);
                    Publish(DaprTopics.Heartbeat, description.Heartbeat(report));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            monitor.AvailabilityChanged -= OnAvailability;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (!publisher.Enabled || !_registered)
        {
            return;
        }

        Publish(DaprTopics.Deregistered, description.Deregistered("shutdown"));
        using var flush = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        flush.CancelAfter(sidecar.CallTimeout * 2);
        var delivered = await publisher.FlushAsync(flush.Token).ConfigureAwait(false);
        LogDeregistered(logger, sidecar.InstanceId, delivered);
    }

    private void OnAvailability(bool available)
    {
        if (available && _registered)
        {
            Register("sidecar back");
        }
    }

    private void Register(string why)
    {
        Publish(DaprTopics.Registered, description.Registered());
        _registered = true;
        LogRegistered(logger, sidecar.InstanceId, sidecar.AppId, why);
    }

    private void Publish(string topic, EventData data) =>
        publisher.Enqueue(new PlatformEvent(topic, null, data) { Time = time.GetUtcNow() });

    [LoggerMessage(Level = LogLevel.Information, Message = "Sensor {Instance} (app-id {AppId}) registered with the platform ({Why})")]
    private static partial void LogRegistered(ILogger logger, string instance, string appId, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sensor {Instance} deregistered (delivered: {Delivered})")]
    private static partial void LogDeregistered(ILogger logger, string instance, bool delivered);
}

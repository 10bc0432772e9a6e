using VideoSensor.Configuration.Live;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VideoSensor.Health;
using VideoSensor.Events;

namespace VideoSensor.Hosting;

/// <summary>Marks the service ready once the host has started, and announces startup and shutdown.</summary>
internal sealed partial class LifecycleEvents(
    IHostApplicationLifetime lifetime,
    StartupState startup,
    EventHub events,
    ILogger<LifecycleEvents> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            startup.MarkReady();
            LogReady(logger, startup.TimeToReady?.TotalMilliseconds ?? 0);
            events.Publish(new ServiceStarted(HealthReporter.Version));
        });
        lifetime.ApplicationStopping.Register(() =>
        {
            startup.MarkStopping();
            events.Publish(new ServiceStopping("stopping"));
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Video sensor ready in {Milliseconds:0} ms")]
    private static partial void LogReady(ILogger logger, double milliseconds);
}

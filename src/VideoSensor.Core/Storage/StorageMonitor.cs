using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Configuration.Live;
using VideoSensor.Events;

namespace VideoSensor.Storage;

/// <summary>
/// The background side of storage: applies the retention policy, and watches free space, publishing
/// <c>storage.low_space</c> when it drops below a threshold and telling recorders when it is too low to go on.
/// A retention policy from a configuration change that deletes anything runs a pass at once. Retention waits for
/// the start-up configuration to be complete (the Dapr store read, at most one check interval); free space is
/// watched from the start.
/// </summary>
internal sealed partial class StorageMonitor(
    StorageSpace space,
    RetentionEnforcer retention,
    RetentionStore policies,
    ConfigurationReadiness configuration,
    EventHub events,
    IOptions<StorageOptions> options,
    TimeProvider time,
    ILogger<StorageMonitor> logger) : BackgroundService
{
    private readonly WakeSignal _wake = new();
    private SpaceLevel _level = SpaceLevel.Ok;

    /// <summary>Raised when free space falls below the block threshold; recorders stop (they must not fill the disk).</summary>
    public event Action<SpaceReading>? Blocked;

    public SpaceLevel Level => _level;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        policies.Configured += OnPolicyConfigured;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        policies.Configured -= OnPolicyConfigured;
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.CheckIntervalSeconds);
        var complete = configuration.Complete.WaitAsync(interval, time, stoppingToken);
        _ = complete.ContinueWith(
            t =>
            {
                _ = t.Exception; // a timeout only means: go on with the configuration there is
                _wake.Set();
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (complete.IsCompleted)
            {
                await CheckAsync(stoppingToken).ConfigureAwait(false);
            }
            else
            {
                ObserveSpace();
            }

            await _wake.WaitAsync(interval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    // A looser policy deletes nothing more, so only a policy that deletes anything is worth a pass now.
    private void OnPolicyConfigured(RetentionPolicy policy)
    {
        if (policy.DeletesAnything)
        {
            _wake.Set();
        }
    }

    /// <summary>One pass: retention first (it may free the space the second half measures).</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await retention.RunAsync(cancellationToken).ConfigureAwait(false);
            Observe(space.Read());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogCheckFailed(logger, ex.Message);
        }
    }

    private void ObserveSpace()
    {
        try
        {
            Observe(space.Read());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogCheckFailed(logger, ex.Message);
        }
    }

    private void Observe(SpaceReading reading)
    {
        var previous = _level;
        _level = reading.Level;
        if (reading.Level != SpaceLevel.Ok && previous == SpaceLevel.Ok || reading.Level == SpaceLevel.Blocked && previous != SpaceLevel.Blocked)
        {
            PublishLowSpace(reading);
        }

        if (reading.Level == SpaceLevel.Blocked)
        {
            Blocked?.Invoke(reading);
        }
    }

    /// <summary>Tells clients storage is low (on entering the state, and whenever a recording is refused for it).</summary>
    public void PublishLowSpace(SpaceReading reading)
    {
        LogLowSpace(logger, reading.FreePercent, reading.Level.ToString());
        events.Publish(new StorageLow(
            reading.AvailableBytes,
            reading.TotalBytes,
            reading.UsedPercent,
            reading.FreePercent,
            options.Value.LowSpacePercent,
            options.Value.BlockSpacePercent,
            reading.Level == SpaceLevel.Blocked));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage is low: {FreePercent:0.##}% free ({Level})")]
    private static partial void LogLowSpace(ILogger logger, double freePercent, string level);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage check failed: {Reason}")]
    private static partial void LogCheckFailed(ILogger logger, string reason);
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Cameras.Usb.Hotplug;
using VideoSensor.Cameras.Usb.V4l2;
using VideoSensor.Storage;

namespace VideoSensor.Cameras.Usb;

/// <summary>
/// Keeps the USB cameras in the registry current: a scan at start, netlink uevents as they happen
/// (gathered for a few milliseconds so a burst is handled once), and a periodic rescan that repairs
/// anything a lost uevent missed. The rescan interval follows live configuration changes.
/// </summary>
internal sealed partial class UsbCameraWatcher(
    CameraRegistry registry,
    IOptionsMonitor<UsbOptions> options,
    IOptions<StorageOptions> storage,
    IV4l2DeviceOpener opener,
    TimeProvider time,
    ILogger<UsbCameraWatcher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private UsbInventory? _inventory;
    private UeventListener? _listener;

    /// <summary>Whether uevents are being received (false: rescans only).</summary>
    public bool Listening { get; private set; }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.CurrentValue;
        if (!o.Enabled)
        {
            return;
        }

        var assignment = new UsbAssignment(o.Assigned, Environment.GetEnvironmentVariable(UsbAssignment.EnvironmentVariable));
        var store = new UsbIdentityStore(storage.Value.StatePath);

        Resolution.TryParse(o.Resolution, out var size);
        _inventory = new UsbInventory(registry, new SysfsReader(o.SysfsRoot, o.DevRoot), opener, assignment, store, size, o.Fps, logger,
            new UsbMicrophones(o.SysfsRoot, o.ProcRoot), id => options.CurrentValue.Audio.On(id));
        LogStarting(logger, o.SysfsRoot, assignment.ToString());

        // Listen before the first scan, so a camera plugged in during the scan is not missed.
        if (o.Hotplug)
        {
            _listener = new UeventListener(logger);
            Listening = _listener.TryStart();
        }

        await LockedAsync(i => i.Rescan(), cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _inventory is null ? Task.CompletedTask : Task.WhenAll(RescanLoopAsync(stoppingToken), UeventLoopAsync(stoppingToken));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _listener?.Dispose();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _listener?.Dispose();
        _gate.Dispose();
        base.Dispose();
    }

    /// <summary>Runs a full rescan now (also what the periodic timer does).</summary>
    public Task RescanAsync(CancellationToken cancellationToken) => LockedAsync(i => i.Rescan(), cancellationToken);

    private async Task RescanLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.CurrentValue.RescanIntervalSeconds), time);
        using var subscription = options.OnChange(o => timer.Period = TimeSpan.FromSeconds(o.RescanIntervalSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await RescanAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task UeventLoopAsync(CancellationToken stoppingToken)
    {
        if (_listener is null || !Listening)
        {
            return;
        }

        var reader = _listener.Signals;
        var debounce = TimeSpan.FromMilliseconds(options.CurrentValue.HotplugDebounceMs);
        var batch = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                var overflow = Drain(reader, batch);
                if (debounce > TimeSpan.Zero)
                {
                    // Gather the rest of a burst: kernel + udev copies, add/remove flaps, several nodes of one camera.
                    await Task.Delay(debounce, time, stoppingToken).ConfigureAwait(false);
                    overflow |= Drain(reader, batch);
                }

                await LockedAsync(
                    inventory =>
                    {
                        foreach (var (node, action) in batch)
                        {
                            if (action == "remove")
                            {
                                inventory.Forget(node);
                            }
                            else
                            {
                                inventory.Refresh(node);
                            }
                        }

                        if (overflow)
                        {
                            inventory.Rescan();
                        }
                    },
                    stoppingToken).ConfigureAwait(false);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Takes every queued signal; the last action per node wins. True if events were lost.</summary>
    private static bool Drain(System.Threading.Channels.ChannelReader<UeventSignal> reader, Dictionary<string, string> batch)
    {
        var overflow = false;
        while (reader.TryRead(out var signal))
        {
            overflow |= signal.Overflow;
            if (signal.Event is { NodeName: { } node } uevent && SysfsReader.IsNodeName(node))
            {
                batch[node] = uevent.Action;
            }
        }

        return overflow;
    }

    private async Task LockedAsync(Action<UsbInventory> action, CancellationToken cancellationToken)
    {
        if (_inventory is null)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            action(_inventory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // sysfs or the state folder misbehaving must not stop discovery; the next rescan tries again.
            LogScanFailed(logger, ex.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "USB discovery under {SysfsRoot}, assigned VID:PIDs: {Assigned}")]
    private static partial void LogStarting(ILogger logger, string sysfsRoot, string assigned);

    [LoggerMessage(Level = LogLevel.Warning, Message = "USB scan failed: {Reason}")]
    private static partial void LogScanFailed(ILogger logger, string reason);
}

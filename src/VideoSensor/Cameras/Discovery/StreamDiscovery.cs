using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Storage;

namespace VideoSensor.Cameras.Discovery;

/// <summary>
/// Finds RTSP streams on the configured hosts × ports × paths with RTSP DESCRIBE, bounded in time and
/// concurrency, on request and every <c>scan_interval</c> seconds (0 = never in the background).
/// </summary>
internal sealed partial class StreamDiscovery(
    IOptions<DiscoveryOptions> options,
    IOptions<StorageOptions> storage,
    CameraRegistry registry,
    TimeProvider time,
    ILogger<StreamDiscovery> logger) : BackgroundService
{
    private readonly StateFile<DiscoverySettings> _settings = new(Path.Combine(storage.Value.StatePath, "discovery.json"));
    private readonly SemaphoreSlim _scanLock = new(1, 1);
    private readonly Lock _gate = new();
    private TaskCompletionSource _intervalChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DiscoveryScan? _last;
    private int? _interval;

    public int ScanInterval
    {
        get
        {
            lock (_gate)
            {
                _interval ??= _settings.Read()?.ScanIntervalSeconds ?? options.Value.ScanIntervalSeconds;
                return _interval.Value;
            }
        }
    }

    public bool Active => ScanInterval > 0 && options.Value.Hosts.Count > 0;

    public DiscoveryScan? LastScan
    {
        get
        {
            lock (_gate)
            {
                return _last;
            }
        }
    }

    /// <summary>Changes and persists the background interval; the loop picks it up at once.</summary>
    public void SetInterval(int seconds)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _interval = seconds;
            _settings.Write(new DiscoverySettings(seconds));
            changed = _intervalChanged;
            _intervalChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    public async Task<DiscoveryScan> ScanAsync(bool force, CancellationToken cancellationToken)
    {
        if (!force && LastScan is { } recent && time.GetUtcNow() - recent.Timestamp < TimeSpan.FromSeconds(10))
        {
            return recent;
        }

        await _scanLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var started = Stopwatch.GetTimestamp();
            var o = options.Value;
            var targets = o.Hosts.Distinct(StringComparer.OrdinalIgnoreCase).SelectMany(h => o.EffectivePorts.Distinct().SelectMany(p => o.EffectivePaths.Distinct(StringComparer.Ordinal).Select(path => (h, p, path)))).ToList();
            var errors = new List<string>();
            var found = new List<DiscoveredStream>();
            using var gate = new SemaphoreSlim(o.MaxConcurrency);
            var known = registry.List().Select(c => c.Source).OfType<RtspSource>().Select(s => s.Url.ToString()).ToHashSet(StringComparer.Ordinal);
            await Task.WhenAll(targets.Select(async t =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    var result = await RtspDescribeProbe.DescribeAsync(t.h, t.p, t.path, TimeSpan.FromMilliseconds(o.TimeoutMs), cancellationToken).ConfigureAwait(false);
                    if (result is { StatusCode: 200 or 401 })
                    {
                        lock (found)
                        {
                            found.Add(new DiscoveredStream(result.Url, t.h, t.p, t.path, result.StatusCode == 200 ? "available" : "auth_required", result.StatusCode, result.Server, Math.Round(result.Took.TotalMilliseconds, 1), known.Contains(result.Url)));
                        }
                    }
                }
                catch (Exception ex) when (ex is ArgumentException or System.Net.Sockets.SocketException)
                {
                    lock (errors)
                    {
                        errors.Add($"{t.h}:{t.p}: {ex.Message}");
                    }
                }
                finally
                {
                    gate.Release();
                }
            })).ConfigureAwait(false);

            var scan = new DiscoveryScan([.. found.OrderBy(f => f.Url, StringComparer.Ordinal)], time.GetUtcNow(), Stopwatch.GetElapsedTime(started), errors);
            lock (_gate)
            {
                _last = scan;
            }

            LogScan(logger, targets.Count, found.Count, scan.Duration.TotalMilliseconds);
            return scan;
        }
        finally
        {
            _scanLock.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Task changed;
            lock (_gate)
            {
                changed = _intervalChanged.Task;
            }

            var interval = ScanInterval;
            if (interval > 0 && options.Value.Hosts.Count > 0)
            {
                await ScanAsync(force: true, stoppingToken).ConfigureAwait(false);
                await Task.WhenAny(changed, Task.Delay(TimeSpan.FromSeconds(interval), time, stoppingToken)).ConfigureAwait(false);
            }
            else
            {
                await Task.WhenAny(changed, Task.Delay(Timeout.InfiniteTimeSpan, stoppingToken)).ConfigureAwait(false);
            }
        }
    }

    public override void Dispose()
    {
        _scanLock.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discovery probed {Targets} URLs, found {Found} streams in {Milliseconds:0} ms")]
    private static partial void LogScan(ILogger logger, int targets, int found, double milliseconds);
}

/// <summary>Persisted discovery settings.</summary>
internal sealed record DiscoverySettings(int ScanIntervalSeconds);

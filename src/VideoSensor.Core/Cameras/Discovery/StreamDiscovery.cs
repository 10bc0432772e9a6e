using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Configuration.Live;
using VideoSensor.Storage;

namespace VideoSensor.Cameras.Discovery;

/// <summary>
/// Finds RTSP streams on the configured hosts × ports × paths with RTSP DESCRIBE, bounded in time and
/// concurrency, on request and every <c>scan_interval</c> seconds (0 = never in the background). The interval
/// is <c>discovery.scan_interval_seconds</c>, followed live, or the one <c>set_discovery_interval</c> stored since
/// (see <see cref="RuntimeOverride{T}"/> for which wins); the loop wakes at once when it changes.
/// </summary>
internal sealed partial class StreamDiscovery : BackgroundService
{
    public const string FileName = "discovery-interval.json";

    private readonly IOptionsMonitor<DiscoveryOptions> _options;
    private readonly CameraRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger<StreamDiscovery> _logger;
    private readonly RuntimeOverride<int> _interval;
    private readonly IDisposable? _subscription;
    private readonly SemaphoreSlim _scanLock = new(1, 1);
    private readonly Lock _gate = new();
    private readonly WakeSignal _wake = new();
    private DiscoveryScan? _last;

    public StreamDiscovery(
        IOptionsMonitor<DiscoveryOptions> options,
        IOptions<StorageOptions> storage,
        CameraRegistry registry,
        TimeProvider time,
        ILogger<StreamDiscovery> logger)
    {
        _options = options;
        _registry = registry;
        _time = time;
        _logger = logger;
        _interval = new RuntimeOverride<int>(Path.Combine(storage.Value.StatePath, FileName), options.CurrentValue.ScanIntervalSeconds, s => s >= 0);
        _subscription = options.OnChange(o =>
        {
            if (_interval.Configure(o.ScanIntervalSeconds) is { } change)
            {
                LogConfigured(_logger, change.After);
                _wake.Set();
            }
        });
    }

    public int ScanInterval => _interval.Current;

    public bool Active => ScanInterval > 0 && _options.CurrentValue.Hosts.Count > 0;

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
        _interval.Set(seconds);
        _wake.Set();
    }

    public async Task<DiscoveryScan> ScanAsync(bool force, CancellationToken cancellationToken)
    {
        if (!force && LastScan is { } recent && _time.GetUtcNow() - recent.Timestamp < TimeSpan.FromSeconds(10))
        {
            return recent;
        }

        await _scanLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var started = Stopwatch.GetTimestamp();
            var o = _options.CurrentValue;
            var targets = o.Hosts.Distinct(StringComparer.OrdinalIgnoreCase).SelectMany(h => o.EffectivePorts.Distinct().SelectMany(p => o.EffectivePaths.Distinct(StringComparer.Ordinal).Select(path => (h, p, path)))).ToList();
            var errors = new List<string>();
            var found = new List<DiscoveredStream>();
            using var gate = new SemaphoreSlim(o.MaxConcurrency);
            var known = _registry.List().Select(c => c.Source).OfType<RtspSource>().Select(s => s.Url.ToString()).ToHashSet(StringComparer.Ordinal);
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

            var scan = new DiscoveryScan([.. found.OrderBy(f => f.Url, StringComparer.Ordinal)], _time.GetUtcNow(), Stopwatch.GetElapsedTime(started), errors);
            lock (_gate)
            {
                _last = scan;
            }

            LogScan(_logger, targets.Count, found.Count, scan.Duration.TotalMilliseconds);
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
            var interval = ScanInterval;
            var active = interval > 0 && _options.CurrentValue.Hosts.Count > 0;
            if (active)
            {
                await ScanAsync(force: true, stoppingToken).ConfigureAwait(false);
            }

            await _wake.WaitAsync(active ? TimeSpan.FromSeconds(interval) : Timeout.InfiniteTimeSpan, _time, stoppingToken).ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        _subscription?.Dispose();
        _scanLock.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discovery probed {Targets} URLs, found {Found} streams in {Milliseconds:0} ms")]
    private static partial void LogScan(ILogger logger, int targets, int found, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discovery interval from the configuration in force: {Seconds} s")]
    private static partial void LogConfigured(ILogger logger, int seconds);
}

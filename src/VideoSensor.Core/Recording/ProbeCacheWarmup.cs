using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VideoSensor.Errors;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Storage;

namespace VideoSensor.Recording;

/// <summary>
/// Fills the probe cache with every stored recording once the service has started, so the first listings after
/// a start answer durations from known facts instead of waiting on ffprobe (a store the cache has never seen
/// otherwise costs the first minute of listings their latency). Low priority by construction: one file at a
/// time through the service-wide probe queue (at most one of its slots, live requests keep the other), ffprobe
/// under <c>nice</c>, newest files first (what a listing shows first). Results land in the cache and its file
/// like any probe's. Progress is shown by the <c>recording_catalog</c> health component and a gauge.
/// </summary>
internal sealed partial class ProbeCacheWarmup(FileStore store, FileProbes probes, IHostApplicationLifetime lifetime, ILogger<ProbeCacheWarmup> logger)
    : BackgroundService
{
    private int _total = -1;
    private int _described;
    private int _probed;
    private int _unknown;
    private double _seconds;
    private volatile bool _done;

    /// <summary>Recordings found at the start of the warm-up; -1 until the store has been listed.</summary>
    public int Total => Volatile.Read(ref _total);

    /// <summary>Recordings whose facts the warm-up has settled (known, probed, or found unknown).</summary>
    public int Described => Volatile.Read(ref _described);

    /// <summary>Recordings still to go; 0 once done.</summary>
    public int Remaining => _done ? 0 : Math.Max(0, Total) - Described;

    public bool Done => _done;

    /// <summary>One line for the health report.</summary>
    public string Summary => _done
        ? $"probe cache warm: {Described} recordings described ({_probed} probed, {_unknown} unknown) in {_seconds:0.#} s"
        : Total < 0 ? "probe cache warm-up starting" : $"warming the probe cache: {Described} of {Total} recordings";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Start-up first: the warm-up begins once the host has started everything else.
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
            }

            await WarmAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The service stops: what was probed so far is cached and saved with the cache.
        }
    }

    private async Task WarmAsync(CancellationToken stoppingToken)
    {
        var watch = Stopwatch.StartNew();
        IReadOnlyList<StoredFile> files;
        try
        {
            files = store.List(FileKind.Recording);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SensorException)
        {
            LogNotListed(logger, ex.Message);
            files = [];
        }

        Volatile.Write(ref _total, files.Count);
        foreach (var file in files)
        {
            stoppingToken.ThrowIfCancellationRequested();
            if (!probes.TryKnown(file.FullPath, file.Size, file.ModifiedTime, out _))
            {
                // Awaited one by one: the warm-up never holds more than one slot of the probe queue.
                var probe = await probes.ProbeInBackgroundAsync(file.FullPath, file.Size, file.ModifiedTime, stoppingToken).ConfigureAwait(false);
                _probed++;
                if (probe.Status == FileProbeStatus.Unknown)
                {
                    _unknown++;
                }
            }

            Interlocked.Increment(ref _described);
        }

        _seconds = watch.Elapsed.TotalSeconds;
        _done = true;
        LogWarm(logger, files.Count, _probed, _unknown, _seconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Probe cache warm: {Count} stored recordings described ({Probed} probed, {Unknown} unknown) in {Seconds:0.0} s")]
    private static partial void LogWarm(ILogger logger, int count, int probed, int unknown, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not list the stored recordings to warm the probe cache: {Reason}")]
    private static partial void LogNotListed(ILogger logger, string reason);
}

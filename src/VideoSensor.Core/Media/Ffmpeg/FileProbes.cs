using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Storage;

namespace VideoSensor.Media.Ffmpeg;

/// <summary>
/// The service-wide queue for probing stored media files. At most <see cref="Width"/> ffprobe children run at
/// once, whoever asks; a second ask for a file already queued waits for the same probe; definitive answers are
/// cached by path, size and modification time and kept across restarts. Timeouts count from the start of the
/// probe (not from the queue) and kill the probe. An unknown answer (timeout, missing ffprobe) is never cached
/// and never means "empty".
/// </summary>
internal sealed partial class FileProbes : IDisposable
{
    public const int Width = 2;
    private const int MaxEntries = 8192;
    private static readonly TimeSpan SaveDelay = TimeSpan.FromSeconds(2);

    private readonly MediaProbe _probe;
    private readonly ILogger<FileProbes> _logger;
    private readonly SemaphoreSlim _slots = new(Width, Width);
    private readonly ConcurrentDictionary<string, ProbeCacheEntry> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<FileProbe>>> _inFlight = new(StringComparer.Ordinal);
    private readonly ProbeCacheFile _file;
    private readonly Timer _saver;
    private readonly TimeSpan _timeout;
    private readonly CancellationTokenSource _stopping = new();
    private int _dirty;

    public FileProbes(MediaProbe probe, IOptions<StorageOptions> storage, IOptions<MediaOptions> media, ILogger<FileProbes> logger)
    {
        _timeout = TimeSpan.FromSeconds(media.Value.ProbeTimeoutSeconds);
        _probe = probe;
        _logger = logger;
        _file = new ProbeCacheFile(Path.Combine(storage.Value.StatePath, ProbeCacheFile.FileName));
        foreach (var entry in _file.Read())
        {
            _cache[entry.Path] = entry;
        }

        _saver = new Timer(_ => Save(), null, System.Threading.Timeout.InfiniteTimeSpan, System.Threading.Timeout.InfiniteTimeSpan);
    }

    /// <summary>Probes now running (for tests and metrics).</summary>
    public int Running => Width - _slots.CurrentCount;

    /// <summary>The cached answer for a file as it is now (same size and modification time), if any.</summary>
    public bool TryKnown(string path, long size, DateTimeOffset modified, out FileProbe probe)
    {
        if (_cache.TryGetValue(path, out var entry) && entry.Size == size && entry.ModifiedTicks == modified.UtcTicks)
        {
            probe = entry.NoMedia
                ? new FileProbe(FileProbeStatus.NoMedia, null)
                : new FileProbe(FileProbeStatus.Media, new ProbeResult(entry.Codec, entry.Width, entry.Height, entry.Fps, entry.Duration, entry.FormatName));
            return true;
        }

        probe = null!;
        return false;
    }

    /// <summary>Probes a file (queued, coalesced, cached). Never throws for a file problem: unknown is an answer.</summary>
    public Task<FileProbe> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        FileInfo info;
        try
        {
            info = new FileInfo(path);
            if (!info.Exists)
            {
                return Task.FromResult(FileProbe.Unknown("the file is gone"));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult(FileProbe.Unknown(ex.Message));
        }

        return ProbeAsync(path, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero), cancellationToken);
    }

    /// <summary>Probes a file whose size and modification time the caller already read.</summary>
    public Task<FileProbe> ProbeAsync(string path, long size, DateTimeOffset modified, CancellationToken cancellationToken) =>
        ProbeAsync(path, size, modified, lowPriority: false, cancellationToken);

    /// <summary>
    /// A probe for background work (warming the cache): the same queue, coalescing and cache, but ffprobe runs
    /// at a lower CPU priority. A caller that awaits each one before the next holds at most one of the
    /// <see cref="Width"/> slots, so live requests always find one.
    /// </summary>
    public Task<FileProbe> ProbeInBackgroundAsync(string path, long size, DateTimeOffset modified, CancellationToken cancellationToken) =>
        ProbeAsync(path, size, modified, lowPriority: true, cancellationToken);

    private Task<FileProbe> ProbeAsync(string path, long size, DateTimeOffset modified, bool lowPriority, CancellationToken cancellationToken)
    {
        if (size == 0)
        {
            return Task.FromResult(new FileProbe(FileProbeStatus.NoMedia, null, "zero bytes"));
        }

        if (TryKnown(path, size, modified, out var known))
        {
            return Task.FromResult(known);
        }

        var key = $"{path}|{size}|{modified.UtcTicks}";
        var shared = _inFlight.GetOrAdd(key, _ => new Lazy<Task<FileProbe>>(() => RunQueuedAsync(key, path, size, modified, lowPriority))).Value;

        // The shared probe runs to its end (and fills the cache) even when this caller stops waiting.
        return cancellationToken.CanBeCanceled ? shared.WaitAsync(cancellationToken) : shared;
    }

    /// <summary>Remembers what is known of a file that was renamed after being probed under its old name.</summary>
    public void Remember(string path, FileProbe probe)
    {
        if (probe.Status == FileProbeStatus.Unknown)
        {
            return;
        }

        var info = new FileInfo(path);
        if (info.Exists)
        {
            Store(path, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero), probe);
        }
    }

    private async Task<FileProbe> RunQueuedAsync(string key, string path, long size, DateTimeOffset modified, bool lowPriority)
    {
        await Task.Yield(); // never run the probe inside GetOrAdd
        try
        {
            try
            {
                await _slots.WaitAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return FileProbe.Unknown("the service is stopping");
            }

            try
            {
                var probe = await RunAsync(path, lowPriority).ConfigureAwait(false);
                Store(path, size, modified, probe);
                return probe;
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }

    private async Task<FileProbe> RunAsync(string path, bool lowPriority)
    {
        try
        {
            var facts = await _probe.ProbeAsync(new InputArguments([path]), _timeout, _stopping.Token, lowPriority).ConfigureAwait(false);

            // A stream without a single sample (a header-only fragmented MP4) holds nothing to play.
            return facts.Codec is null || facts.DurationSeconds is not > 0
                ? new FileProbe(FileProbeStatus.NoMedia, null, "no video samples")
                : new FileProbe(FileProbeStatus.Media, facts);
        }
        catch (ProbeException ex) when (ex.Failure == ProbeFailure.NoMedia)
        {
            return new FileProbe(FileProbeStatus.NoMedia, null, ex.Message);
        }
        catch (ProbeException ex)
        {
            LogUnknown(_logger, Path.GetFileName(path), ex.Message);
            return FileProbe.Unknown(ex.Message);
        }
        catch (MissingToolException ex)
        {
            return FileProbe.Unknown(ex.Message);
        }
        catch (OperationCanceledException)
        {
            return FileProbe.Unknown("the service is stopping");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return FileProbe.Unknown(ex.Message);
        }
    }

    private void Store(string path, long size, DateTimeOffset modified, FileProbe probe)
    {
        if (probe.Status == FileProbeStatus.Unknown || path.EndsWith(FileStore.PartialSuffix, StringComparison.Ordinal))
        {
            return; // partial files change name when done: the caller remembers them under the final name
        }

        var f = probe.Facts;
        _cache[path] = new ProbeCacheEntry(path, size, modified.UtcTicks, probe.Status == FileProbeStatus.NoMedia,
            f?.Codec, f?.Width ?? 0, f?.Height ?? 0, f?.Fps ?? 0, f?.DurationSeconds, f?.FormatName);
        if (Interlocked.Exchange(ref _dirty, 1) == 0)
        {
            _saver.Change(SaveDelay, System.Threading.Timeout.InfiniteTimeSpan);
        }
    }

    private void Save()
    {
        Interlocked.Exchange(ref _dirty, 0);
        if (_cache.Count > MaxEntries)
        {
            foreach (var gone in _cache.Keys.Where(p => !File.Exists(p)).ToList())
            {
                _cache.TryRemove(gone, out _);
            }
        }

        _file.Write([.. _cache.Values.OrderBy(e => e.Path, StringComparer.Ordinal)]);
    }

    public void Dispose()
    {
        // Shutdown kills probes still running (with their process trees) instead of leaving them behind.
        _stopping.Cancel();
        _saver.Dispose();
        if (_dirty == 1)
        {
            Save();
        }

        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not probe {File} (kept, listed without duration): {Reason}")]
    private static partial void LogUnknown(ILogger logger, string file, string reason);
}

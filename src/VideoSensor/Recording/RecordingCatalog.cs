using System.Collections.Concurrent;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Storage;

namespace VideoSensor.Recording;

/// <summary>A stored recording file with what ffprobe reads from it.</summary>
internal sealed record RecordingFile(StoredFile File, double? Duration, string Format, string? Resolution, string? Codec);

/// <summary>
/// Stored recordings with their media facts, read from the files themselves (ffprobe) and cached by
/// path, size and modification time, so a listing costs one probe per new file, not one per call.
/// </summary>
internal sealed class RecordingCatalog(FileStore store, MediaProbe probe)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (long Size, DateTimeOffset Modified, ProbeResult? Probe)> _cache = new(StringComparer.Ordinal);

    public IReadOnlyList<StoredFile> List(string? device) => store.List(FileKind.Recording, device);

    public bool TryFind(string fileName, out StoredFile file) => store.TryFind(FileKind.Recording, fileName, out file);

    public async Task<IReadOnlyList<RecordingFile>> DescribeAsync(IReadOnlyList<StoredFile> files, CancellationToken cancellationToken)
    {
        var result = new RecordingFile[files.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Count), new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken },
            async (i, ct) => result[i] = await DescribeAsync(files[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
        PruneCache();
        return result;
    }

    public async Task<RecordingFile> DescribeAsync(StoredFile file, CancellationToken cancellationToken)
    {
        ProbeResult? facts;
        if (_cache.TryGetValue(file.FullPath, out var cached) && cached.Size == file.Size && cached.Modified == file.ModifiedTime)
        {
            facts = cached.Probe;
        }
        else
        {
            try
            {
                facts = await probe.ProbeAsync([file.FullPath], ProbeTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (ProbeException)
            {
                facts = null;
            }

            _cache[file.FullPath] = (file.Size, file.ModifiedTime, facts);
        }

        return new RecordingFile(
            file,
            facts?.DurationSeconds is { } d ? Math.Round(d, 3) : null,
            RecordingFormat.FromFileName(file.FileName),
            facts is { Width: > 0 } f ? $"{f.Width}x{f.Height}" : null,
            facts?.Codec);
    }

    private void PruneCache()
    {
        if (_cache.Count < 4096)
        {
            return;
        }

        foreach (var path in _cache.Keys.Where(p => !File.Exists(p)).ToList())
        {
            _cache.TryRemove(path, out _);
        }
    }
}

using VideoSensor.Media.Ffmpeg;
using VideoSensor.Storage;

namespace VideoSensor.Recording;

/// <summary>A stored recording file with what ffprobe reads from it (null facts while not known yet).</summary>
internal sealed record RecordingFile(StoredFile File, double? Duration, string Format, string? Resolution, string? Codec);

/// <summary>
/// Stored recordings with their media facts, read from the files themselves through the service-wide probe
/// queue (<see cref="FileProbes"/>: bounded, coalesced, cached by path, size and modification time). A listing
/// waits at most <see cref="ListBudget"/> for facts not known yet and answers with what it has; the probes go on
/// and the next listing shows their results.
/// </summary>
internal sealed class RecordingCatalog(FileStore store, FileProbes probes, TimeProvider time)
{
    /// <summary>
    /// How long a listing waits for probes it started: short enough that a listing answers well within 200 ms even
    /// while the probe queue fills the cache for a store full of files it has not seen yet.
    /// </summary>
    public static readonly TimeSpan ListBudget = TimeSpan.FromMilliseconds(100);

    /// <summary>How long describing one file waits for its probe.</summary>
    public static readonly TimeSpan InfoBudget = TimeSpan.FromSeconds(3);

    public IReadOnlyList<StoredFile> List(string? device) => store.List(FileKind.Recording, device);

    public bool TryFind(string fileName, out StoredFile file) => store.TryFind(FileKind.Recording, fileName, out file);

    public async Task<IReadOnlyList<RecordingFile>> DescribeAsync(IReadOnlyList<StoredFile> files, CancellationToken cancellationToken) =>
        await DescribeAsync(files, ListBudget, cancellationToken).ConfigureAwait(false);

    public async Task<RecordingFile> DescribeAsync(StoredFile file, CancellationToken cancellationToken) =>
        (await DescribeAsync([file], InfoBudget, cancellationToken).ConfigureAwait(false))[0];

    private async Task<IReadOnlyList<RecordingFile>> DescribeAsync(IReadOnlyList<StoredFile> files, TimeSpan budget, CancellationToken cancellationToken)
    {
        var probing = files.Select(f => probes.ProbeAsync(f.FullPath, f.Size, f.ModifiedTime, CancellationToken.None)).ToArray();
        var all = Task.WhenAll(probing);
        if (!all.IsCompleted)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(all, Task.Delay(budget, time, wait.Token)).ConfigureAwait(false);
            await wait.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        return [.. files.Select((file, i) => Describe(file, probing[i].IsCompletedSuccessfully ? probing[i].Result.Facts : null))];
    }

    private static RecordingFile Describe(StoredFile file, ProbeResult? facts) => new(
        file,
        facts?.DurationSeconds is { } d ? Math.Round(d, 3) : null,
        RecordingFormat.FromFileName(file.FileName),
        facts is { Width: > 0 } f ? $"{f.Width}x{f.Height}" : null,
        facts?.Codec);
}

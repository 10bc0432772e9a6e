using Microsoft.Extensions.Logging;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Storage;

namespace VideoSensor.Recording;

/// <summary>
/// Turns segment files ffmpeg has finished (or left behind when it died) into stored files: a segment is written as
/// <c>name.partial</c>, so it is never listed, served or deleted while being written, and renamed when complete.
/// Only a left-over proven empty (zero bytes, or ffprobe ran to its end and found no media) is removed; a file
/// whose probe timed out or failed is kept and renamed, with the duration ffmpeg reported for it when there is one.
/// Callers only hand over files no recorder writes any more (closed by ffmpeg, or left by a recorder that exited).
/// </summary>
internal sealed partial class SegmentFiles(FileProbes probes, FileStore store, ILogger<SegmentFiles> logger)
{
    /// <summary>Renames a segment ffmpeg closed (or left when it exited); measures it. <paramref name="reportedSeconds"/> is ffmpeg's own length of it.</summary>
    public async Task<Segment?> CompleteAsync(string partialPath, double? reportedSeconds, CancellationToken cancellationToken)
    {
        var info = new FileInfo(partialPath);
        if (!info.Exists || info.LinkTarget is not null)
        {
            return null;
        }

        var probe = await probes.ProbeAsync(partialPath, cancellationToken).ConfigureAwait(false);
        if (probe.Status == FileProbeStatus.NoMedia)
        {
            File.Delete(partialPath);
            store.NoteChange();
            LogDiscarded(logger, Path.GetFileName(partialPath), info.Length, probe.Detail ?? "no media");
            return null;
        }

        if (probe.Status == FileProbeStatus.Unknown)
        {
            LogKeptUnmeasured(logger, Path.GetFileName(partialPath), info.Length, probe.Detail ?? "unknown");
        }

        var finalPath = partialPath[..^FileStore.PartialSuffix.Length];
        try
        {
            File.Move(partialPath, finalPath, overwrite: false);
            store.NoteChange();
        }
        catch (FileNotFoundException)
        {
            return null; // completed by someone else meanwhile
        }

        probes.Remember(finalPath, probe);
        var duration = probe.DurationSeconds ?? reportedSeconds ?? 0;
        return new Segment(Path.GetFileName(finalPath), finalPath, new FileInfo(finalPath).Length, duration, probe.Status == FileProbeStatus.Media);
    }

    /// <summary>Completes every left-over partial file of a folder matching a pattern (a dead run, or a dead service).</summary>
    public async Task<IReadOnlyList<Segment>> CompleteLeftoversAsync(string folder, string searchPattern, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder) || new DirectoryInfo(folder).LinkTarget is not null)
        {
            return [];
        }

        var done = new List<Segment>();
        foreach (var path in Directory.EnumerateFiles(folder, searchPattern + FileStore.PartialSuffix, FileStore.NoLinks).Order(StringComparer.Ordinal))
        {
            if (await CompleteAsync(path, null, cancellationToken).ConfigureAwait(false) is { } segment)
            {
                done.Add(segment);
            }
        }

        return done;
    }

    /// <summary>The media duration of a growing file as far as ffprobe reads it now; null when not known.</summary>
    public async Task<double?> DurationAsync(string path, CancellationToken cancellationToken) =>
        (await probes.ProbeAsync(path, cancellationToken).ConfigureAwait(false)).DurationSeconds;

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed segment {File} ({Bytes} bytes): it holds no media ({Reason})")]
    private static partial void LogDiscarded(ILogger logger, string file, long bytes, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kept segment {File} ({Bytes} bytes) without measuring it: {Reason}")]
    private static partial void LogKeptUnmeasured(ILogger logger, string file, long bytes, string reason);
}

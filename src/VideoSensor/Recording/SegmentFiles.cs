using Microsoft.Extensions.Logging;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Storage;

namespace VideoSensor.Recording;

/// <summary>
/// Turns segment files ffmpeg has finished (or left behind when it died) into stored files: a segment is written as
/// <c>name.partial</c>, so it is never listed, served or deleted while being written, and renamed when complete.
/// A left-over that holds no playable media (killed before its first fragment) is removed: a listing never lies.
/// </summary>
internal sealed partial class SegmentFiles(MediaProbe probe, ILogger<SegmentFiles> logger)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Renames a segment ffmpeg closed normally; measures it.</summary>
    public async Task<Segment?> CompleteAsync(string partialPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(partialPath))
        {
            return null;
        }

        var duration = await DurationAsync(partialPath, cancellationToken).ConfigureAwait(false);
        if (duration is not > 0)
        {
            File.Delete(partialPath);
            LogDiscarded(logger, Path.GetFileName(partialPath));
            return null;
        }

        var finalPath = partialPath[..^FileStore.PartialSuffix.Length];
        try
        {
            File.Move(partialPath, finalPath, overwrite: false);
        }
        catch (FileNotFoundException)
        {
            return null; // completed by someone else meanwhile
        }

        return new Segment(Path.GetFileName(finalPath), finalPath, new FileInfo(finalPath).Length, duration.Value);
    }

    /// <summary>Completes every left-over partial file of a folder matching a pattern (a dead run, or a dead service).</summary>
    public async Task<IReadOnlyList<Segment>> CompleteLeftoversAsync(string folder, string searchPattern, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var done = new List<Segment>();
        foreach (var path in Directory.EnumerateFiles(folder, searchPattern + FileStore.PartialSuffix).Order(StringComparer.Ordinal))
        {
            if (await CompleteAsync(path, cancellationToken).ConfigureAwait(false) is { } segment)
            {
                done.Add(segment);
            }
        }

        return done;
    }

    /// <summary>The media duration ffprobe reads from a file (growing or finished); null when it holds none.</summary>
    public async Task<double?> DurationAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var result = await probe.ProbeAsync([path], ProbeTimeout, cancellationToken).ConfigureAwait(false);
            return result.Codec is null ? null : result.DurationSeconds;
        }
        catch (ProbeException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed segment {File}: it holds no playable media (the recorder died before its first fragment)")]
    private static partial void LogDiscarded(ILogger logger, string file);
}

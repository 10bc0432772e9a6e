using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using VideoSensor.Errors;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Storage;

namespace VideoSensor.Recording;

/// <summary>One stored segment placed on the wall clock: its recording's start plus the durations of the segments before it.</summary>
internal sealed record PlacedSegment(StoredFile File, DateTimeOffset Start, double Duration)
{
    public DateTimeOffset End => Start.AddSeconds(Duration);
}

/// <summary>
/// A time range of one camera's recordings as one MP4, by stream copy (no re-encode): the segments that overlap
/// the range are joined with ffmpeg's concat demuxer and cut with <c>-ss</c>/<c>-t</c>. The cut starts at the key
/// frame at or before the requested start (stream copy cannot start elsewhere); the length is the one asked for,
/// or less where the recordings end sooner.
/// </summary>
internal sealed partial class RecordingExport(RecordingCatalog catalog, FfmpegRunner ffmpeg)
{
    public static readonly TimeSpan MaxLength = TimeSpan.FromHours(6);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>Every finished segment of <paramref name="device"/> on the wall clock, oldest first.</summary>
    public async Task<IReadOnlyList<PlacedSegment>> PlaceAsync(string device, CancellationToken cancellationToken)
    {
        var placed = new List<PlacedSegment>();
        var named = catalog.List(device).Select(f => (File: f, Name: SegmentName().Match(f.FileName))).Where(x => x.Name.Success).ToList();
        foreach (var recording in named.GroupBy(x => (x.Name.Groups["start"].Value, x.Name.Groups["seq"].Value)))
        {
            var at = DateTimeOffset.ParseExact(recording.Key.Item1, "yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            foreach (var (file, _) in recording.OrderBy(x => int.Parse(x.Name.Groups["segment"].Value, CultureInfo.InvariantCulture)))
            {
                var duration = (await catalog.DescribeAsync(file, cancellationToken).ConfigureAwait(false)).Duration ?? 0;
                placed.Add(new PlacedSegment(file, at, duration));
                at = at.AddSeconds(duration);
            }
        }

        return [.. placed.OrderBy(p => p.Start)];
    }

    /// <summary>Writes the range into <paramref name="output"/> (an .mp4 path); returns the segments used.</summary>
    public async Task<IReadOnlyList<PlacedSegment>> ExportAsync(string device, DateTimeOffset start, DateTimeOffset end, string output, CancellationToken cancellationToken)
    {
        if (end <= start)
        {
            throw new InvalidParameterException("end", "after start", "end must be after start");
        }

        if (end - start > MaxLength)
        {
            throw new InvalidParameterException("end", $"at most {MaxLength.TotalHours} hours after start", $"a range is at most {MaxLength.TotalHours} hours");
        }

        var used = (await PlaceAsync(device, cancellationToken).ConfigureAwait(false)).Where(s => s.End > start && s.Start < end && s.Duration > 0).ToList();
        if (used.Count == 0)
        {
            throw new NotFoundException("recording", $"{device} between {start:O} and {end:O}", "list_recordings shows what is stored; pick a range inside a recording");
        }

        var list = output + ".txt";
        // The concat demuxer's list: one quoted path per line (a quote inside is closed, escaped and reopened).
        var text = new StringBuilder();
        foreach (var segment in used)
        {
            text.Append("file '").Append(segment.File.FullPath.Replace("'", @"'\''", StringComparison.Ordinal)).Append("'\n");
        }

        await File.WriteAllTextAsync(list, text.ToString(), cancellationToken).ConfigureAwait(false);
        var joined = output + ".joined.mp4";
        try
        {
            // Two steps, both stream copy: the segments joined into one file with continuous timestamps, then the
            // range cut from it (a seek in one ordinary MP4 behaves the same whatever the segments' own timestamps).
            var join = await ffmpeg.RunAsync(["-f", "concat", "-safe", "0", "-i", list, "-map", "0", "-c", "copy", "-f", "mp4", "-y", joined], Timeout, cancellationToken).ConfigureAwait(false);
            if (!join.Succeeded)
            {
                throw new DependencyException("ffmpeg", $"export failed joining the segments: {join.Reason}", "check the recordings with list_recordings; try a shorter range");
            }

            var offset = Math.Max(0, (start - used[0].Start).TotalSeconds);
            var length = (end - (start > used[0].Start ? start : used[0].Start)).TotalSeconds;
            var cut = await ffmpeg.RunAsync(
                ["-ss", Seconds(offset), "-i", joined, "-t", Seconds(length), "-map", "0", "-c", "copy",
                 "-avoid_negative_ts", "make_zero", "-movflags", "+faststart", "-f", "mp4", "-y", output],
                Timeout, cancellationToken).ConfigureAwait(false);
            if (!cut.Succeeded)
            {
                throw new DependencyException("ffmpeg", $"export failed cutting the range: {cut.Reason}", "check the recordings with list_recordings; try a shorter range");
            }
        }
        finally
        {
            File.Delete(list);
            File.Delete(joined);
        }

        return used;
    }

    private static string Seconds(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^.+_(?<start>\d{8}T\d{9})Z_(?<seq>\d+)_(?<segment>\d{4})\.[A-Za-z0-9]+$")]
    private static partial Regex SegmentName();
}

namespace VideoSensor.Media.Ffmpeg;

/// <summary>What is known about a media file's content.</summary>
internal enum FileProbeStatus
{
    /// <summary>ffprobe read a video stream with samples.</summary>
    Media,

    /// <summary>Proven empty: zero bytes, or ffprobe ran to its end and found no media (no media box, no samples).</summary>
    NoMedia,

    /// <summary>Not known (probe timed out, ffprobe missing or failing, still queued): never a reason to delete.</summary>
    Unknown,
}

/// <summary>One file's probe outcome; <paramref name="Facts"/> is set for <see cref="FileProbeStatus.Media"/>.</summary>
internal sealed record FileProbe(FileProbeStatus Status, ProbeResult? Facts, string? Detail = null)
{
    public static FileProbe Unknown(string detail) => new(FileProbeStatus.Unknown, null, detail);

    public double? DurationSeconds => Facts?.DurationSeconds;
}

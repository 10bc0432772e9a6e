namespace VideoSensor.Recording;

/// <summary>
/// A finished segment file of a recording. <paramref name="Measured"/> is false when ffprobe gave no answer (the
/// file is kept; <paramref name="Duration"/> is then what ffmpeg reported for it, or 0).
/// </summary>
internal sealed record Segment(string FileName, string FullPath, long Size, double Duration, bool Measured = true);

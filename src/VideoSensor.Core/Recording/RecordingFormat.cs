namespace VideoSensor.Recording;

/// <summary>A container for recordings. Both MP4 forms are written fragmented: a plain MP4 keeps its index at
/// the end and a crash would lose the whole segment, which is exactly what recording must never do.</summary>
internal sealed record RecordingFormat(string Name, string Extension, string Muxer, string? MuxerOptions)
{
    public static RecordingFormat Fmp4 { get; } = new("fmp4", "mp4", "mp4", "movflags=+frag_keyframe+empty_moov+default_base_moof:flush_packets=1");
    public static RecordingFormat Mp4 { get; } = Fmp4 with { Name = "mp4" };
    public static RecordingFormat Mkv { get; } = new("mkv", "mkv", "matroska", "flush_packets=1");

    public static IReadOnlyList<string> Names { get; } = ["fmp4", "mp4", "mkv"];

    public static RecordingFormat Parse(string name) => name switch
    {
        "mp4" => Mp4,
        "mkv" => Mkv,
        _ => Fmp4,
    };

    /// <summary>The format a stored file was written in, from its extension (fmp4 and mp4 look alike on disk).</summary>
    public static string FromFileName(string fileName) =>
        Path.GetExtension(fileName).Equals(".mkv", StringComparison.OrdinalIgnoreCase) ? "mkv" : "fmp4";
}

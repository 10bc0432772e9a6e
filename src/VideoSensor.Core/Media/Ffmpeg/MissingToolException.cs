namespace VideoSensor.Media.Ffmpeg;

/// <summary>A required program (ffmpeg, ffprobe) is not installed or not where the config says.</summary>
internal sealed class MissingToolException(string tool)
    : Exception($"{tool} was not found (install the Debian package ffmpeg, or set media.ffmpeg_path / media.ffprobe_path)")
{
    public string Tool { get; } = tool;
}

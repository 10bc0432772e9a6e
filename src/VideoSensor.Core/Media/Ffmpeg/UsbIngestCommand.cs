using VideoSensor.Cameras;
using VideoSensor.Media.Ingest;

namespace VideoSensor.Media.Ffmpeg;

/// <summary>
/// The exact ffmpeg command that publishes a USB camera to MediaMTX (what <see cref="IngestSupervisor"/> runs):
/// V4L2 in (and the camera's own ALSA microphone as a second input when it has one), browser-decodable H.264 and
/// Opus out (<see cref="IngestStreams"/>), pushed over RTSP/TCP.
/// </summary>
internal static class UsbIngestCommand
{
    public static IReadOnlyList<string> Arguments(UsbSource source, string publishUrl) =>
        [.. IngestProcess.BuildArguments(FfmpegInput.Usb(source), IngestStreams.For(source, source.Fps), publishUrl)];
}

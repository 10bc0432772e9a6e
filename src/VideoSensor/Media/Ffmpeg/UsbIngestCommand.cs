using System.Globalization;
using VideoSensor.Cameras;

namespace VideoSensor.Media.Ffmpeg;

/// <summary>
/// The ffmpeg command that publishes a USB camera to MediaMTX: V4L2 in, browser-decodable H.264 out
/// (constrained to yuv420p, no B-frames so WebRTC players never reorder, a keyframe every second so a
/// new viewer waits at most a second), pushed over RTSP/TCP.
/// </summary>
internal static class UsbIngestCommand
{
    public static IReadOnlyList<string> Arguments(UsbSource source, string publishUrl) =>
    [
        "-hide_banner", "-nostdin", "-loglevel", "warning",
        // Small input queue: a live camera must not build up latency behind a slow encoder.
        "-thread_queue_size", "64",
        .. FfmpegInput.Usb(source),
        .. Encoder(source.Fps),
        "-f", "rtsp", "-rtsp_transport", "tcp", publishUrl,
    ];

    /// <summary>libx264 settings shared by every USB camera, whatever its input format.</summary>
    public static IReadOnlyList<string> Encoder(int fps)
    {
        var gop = Math.Max(1, fps).ToString(CultureInfo.InvariantCulture);
        return
        [
            "-an",
            "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency",
            "-pix_fmt", "yuv420p",
            "-bf", "0", "-g", gop, "-keyint_min", gop, "-sc_threshold", "0",
        ];
    }
}

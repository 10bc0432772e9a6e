using System.Globalization;
using VideoSensor.Cameras;

namespace VideoSensor.Media.Ingest;

/// <summary>
/// What an ingest writes after its inputs: which streams it maps and how it codes them. Video becomes
/// browser-decodable H.264 (yuv420p, no B-frames, GOP of one second) unless it already is (an RTSP feed republished
/// for WebRTC: copied). Audio becomes Opus at 48 kHz, the one codec MediaMTX hands to RTSP, WebRTC and HLS readers
/// alike; a camera without audio publishes none.
/// </summary>
internal static class IngestStreams
{
    /// <summary>Opus bitrate: speech and ambient sound from a camera microphone, and the test tone, need no more.</summary>
    public const string OpusBitrate = "48k";

    public static IReadOnlyList<string> For(CameraSource source, int fps) => source switch
    {
        // Video untouched; the feed's audio (if any: "?") re-encoded for WebRTC.
        RtspSource => ["-map", "0:v:0", "-map", "0:a:0?", "-c:v", "copy", .. Opus],
        TestPatternSource { Audio: true } => ["-map", "0:v:0", "-map", "0:a:0", .. H264(fps), .. Opus],
        // The microphone is the second input (FfmpegInput.Usb).
        UsbSource { Microphone: not null } => ["-map", "0:v:0", "-map", "1:a:0", .. H264(fps), .. Opus],
        _ => ["-map", "0:v:0", "-an", .. H264(fps)],
    };

    /// <summary>True when the camera's ingest publishes an audio track.</summary>
    public static bool HasAudio(CameraSource source) => source is RtspSource or TestPatternSource { Audio: true } or UsbSource { Microphone: not null };

    private static IReadOnlyList<string> Opus => ["-c:a", "libopus", "-b:a", OpusBitrate, "-ar", "48000", "-application", "lowdelay"];

    private static IReadOnlyList<string> H264(int fps)
    {
        var gop = Math.Max(1, fps).ToString(CultureInfo.InvariantCulture);
        return ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-bf", "0", "-g", gop, "-keyint_min", gop, "-sc_threshold", "0"];
    }
}

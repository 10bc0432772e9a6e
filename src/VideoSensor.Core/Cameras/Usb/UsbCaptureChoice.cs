using VideoSensor.Cameras.Usb.V4l2;

namespace VideoSensor.Cameras.Usb;

/// <summary>The capture settings picked for a camera: ffmpeg's v4l2 input format, size and rate.</summary>
internal sealed record UsbCapture(string InputFormat, Resolution Size, int Fps);

/// <summary>
/// Picks how to read a camera: a compressed format first (native H.264, then MJPEG: far less USB
/// bandwidth at a given size), else raw; then the configured size and rate, or the nearest offered.
/// </summary>
internal static class UsbCaptureChoice
{
    /// <summary>V4L2 fourcc → ffmpeg <c>-input_format</c>, in order of preference.</summary>
    private static readonly (string FourCc, string Ffmpeg)[] Preference =
    [
        ("H264", "h264"),
        ("MJPG", "mjpeg"),
        ("JPEG", "mjpeg"),
        ("YUYV", "yuyv422"),
        ("UYVY", "uyvy422"),
        ("NV12", "nv12"),
        ("YU12", "yuv420p"),
    ];

    public static string? FfmpegName(string fourCc) =>
        Array.Find(Preference, p => p.FourCc == fourCc) is { Ffmpeg: { } name } ? name : null;

    public static UsbCapture? Choose(IReadOnlyList<V4l2FormatInfo> formats, Resolution wanted, int fps)
    {
        foreach (var (fourCc, ffmpeg) in Preference)
        {
            var format = formats.FirstOrDefault(f => f.FourCc == fourCc && f.Sizes.Count > 0);
            if (format is null)
            {
                continue;
            }

            var size = PickSize(format.Sizes, wanted);
            return new UsbCapture(ffmpeg, size.Size, PickRate(size.FrameRates, fps));
        }

        return null;
    }

    /// <summary>What <c>get_camera_capabilities</c> reports: every format, size and rate found.</summary>
    public static CameraCapabilities Capabilities(IReadOnlyList<V4l2FormatInfo> formats) => new(
        [.. formats.Select(f => FfmpegName(f.FourCc) ?? f.FourCc.ToLowerInvariant()).Distinct()],
        [.. formats.SelectMany(f => f.Sizes).Select(s => s.Size).Distinct().OrderByDescending(s => (long)s.Width * s.Height).ThenByDescending(s => s.Width)],
        [.. formats.SelectMany(f => f.Sizes).SelectMany(s => s.FrameRates).Distinct().OrderDescending()],
        ["snapshot", "streaming", "recording"],
        "probed");

    /// <summary>The wanted size if offered; else the smallest one that covers it; else the largest one.</summary>
    private static V4l2SizeRates PickSize(IReadOnlyList<V4l2SizeRates> sizes, Resolution wanted) =>
        sizes.FirstOrDefault(s => s.Size == wanted)
        ?? sizes.Where(s => s.Size.Width >= wanted.Width && s.Size.Height >= wanted.Height).MinBy(s => (long)s.Size.Width * s.Size.Height)
        ?? sizes.MaxBy(s => (long)s.Size.Width * s.Size.Height)!;

    /// <summary>The wanted rate if offered (or nothing is known); else the highest below it; else the lowest above it.</summary>
    private static int PickRate(IReadOnlyList<int> rates, int wanted) =>
        rates.Count == 0 || rates.Contains(wanted) ? wanted
        : rates.Where(r => r < wanted).DefaultIfEmpty(0).Max() is > 0 and var below ? below
        : rates.Min();
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace VideoSensor.Tests.Fixtures;

/// <summary>What ffprobe reads from a file: the independent check that media the service wrote is real.</summary>
public sealed record ProbedMedia(string FormatName, string Codec, int Width, int Height, double? Duration, string? PixelFormat, int? HasBFrames, JsonElement Raw);

public static class Ffprobe
{
    /// <summary>Probes a file or URL; <paramref name="inputOptions"/> go before it (e.g. <c>-rtsp_transport tcp</c>).</summary>
    public static async Task<ProbedMedia> ProbeAsync(string path, CancellationToken cancellationToken = default, IReadOnlyList<string>? inputOptions = null)
    {
        var info = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["-v", "error", "-show_format", "-show_streams", "-of", "json", .. inputOptions ?? [], path])
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffprobe failed on {path}: {error}");
        }

        var root = JsonDocument.Parse(output).RootElement.Clone();
        var video = root.GetProperty("streams").EnumerateArray().First(s => s.GetProperty("codec_type").GetString() == "video");
        var format = root.GetProperty("format");
        double? duration = format.TryGetProperty("duration", out var d) && double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
        return new ProbedMedia(
            format.GetProperty("format_name").GetString() ?? "",
            video.GetProperty("codec_name").GetString() ?? "",
            video.GetProperty("width").GetInt32(),
            video.GetProperty("height").GetInt32(),
            duration,
            video.TryGetProperty("pix_fmt", out var p) ? p.GetString() : null,
            video.TryGetProperty("has_b_frames", out var b) ? b.GetInt32() : null,
            root);
    }
}

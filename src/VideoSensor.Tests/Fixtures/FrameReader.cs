using System.Diagnostics;

namespace VideoSensor.Tests.Fixtures;

/// <summary>
/// What one ffmpeg reader got: decoded video frames, how long until it finished, its exit code and stderr, and the
/// frame rate the stream carried (decoded frames over the span of their timestamps; 0 with fewer than two frames).
/// </summary>
public sealed record FrameRead(int Frames, TimeSpan Elapsed, int ExitCode, string Error, double Fps = 0);

/// <summary>
/// A real client reading a stream: ffmpeg decodes <c>frames</c> video frames and writes one <c>framemd5</c> line per
/// decoded frame, so the count is of frames that really decoded, not of bytes that arrived.
/// </summary>
public static class FrameReader
{
    public static Task<FrameRead> ReadAsync(string url, int frames, TimeSpan timeout, CancellationToken ct, IReadOnlyList<string>? inputOptions = null) =>
        RunAsync(url, ["-frames:v", frames.ToString(System.Globalization.CultureInfo.InvariantCulture)], $"no {frames} frames", timeout, ct, inputOptions);

    /// <summary>Decodes <paramref name="seconds"/> of stream time: at full rate that is seconds × fps frames.</summary>
    public static Task<FrameRead> ReadDurationAsync(string url, int seconds, TimeSpan timeout, CancellationToken ct, IReadOnlyList<string>? inputOptions = null) =>
        RunAsync(url, ["-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)], $"not {seconds} s of stream", timeout, ct, inputOptions);

    private static async Task<FrameRead> RunAsync(string url, IReadOnlyList<string> limit, string failure, TimeSpan timeout, CancellationToken ct, IReadOnlyList<string>? inputOptions)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        var rtsp = url.StartsWith("rtsp://", StringComparison.Ordinal) ? new[] { "-rtsp_transport", "tcp" } : [];
        foreach (var arg in (string[])["-nostdin", "-v", "error", .. rtsp, .. inputOptions ?? [], "-i", url, "-map", "0:v:0", .. limit, "-f", "framemd5", "-"])
        {
            info.ArgumentList.Add(arg);
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
            var error = process.StandardError.ReadToEndAsync(deadline.Token);
            await process.WaitForExitAsync(deadline.Token);
            var lines = (await output).Split('\n');
            var decoded = lines.Count(l => l.Length > 0 && !l.StartsWith('#'));
            return new FrameRead(decoded, watch.Elapsed, process.ExitCode, await error, MeasuredFps(lines));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new FrameRead(0, watch.Elapsed, -1, $"{failure} within {timeout.TotalSeconds} s");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>framemd5 lines are <c>stream, dts, pts, duration, size, hash</c> in the time base of the <c>#tb 0: num/den</c> header.</summary>
    private static double MeasuredFps(IReadOnlyList<string> lines)
    {
        var tb = lines.FirstOrDefault(l => l.StartsWith("#tb 0:", StringComparison.Ordinal))?[6..].Trim().Split('/');
        var pts = lines.Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => long.Parse(l.Split(',')[2].Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        if (tb is not [var num, var den] || pts.Count < 2)
        {
            return 0;
        }

        var seconds = (pts.Max() - pts.Min()) * double.Parse(num, System.Globalization.CultureInfo.InvariantCulture) / double.Parse(den, System.Globalization.CultureInfo.InvariantCulture);
        return seconds > 0 ? (pts.Count - 1) / seconds : 0;
    }
}

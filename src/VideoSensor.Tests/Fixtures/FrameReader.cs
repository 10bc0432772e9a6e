using System.Diagnostics;

namespace VideoSensor.Tests.Fixtures;

/// <summary>What one ffmpeg reader got: decoded video frames, how long until it finished, its exit code and stderr.</summary>
public sealed record FrameRead(int Frames, TimeSpan Elapsed, int ExitCode, string Error);

/// <summary>
/// A real client reading a stream: ffmpeg decodes <c>frames</c> video frames and writes one <c>framemd5</c> line per
/// decoded frame, so the count is of frames that really decoded, not of bytes that arrived.
/// </summary>
public static class FrameReader
{
    public static async Task<FrameRead> ReadAsync(string url, int frames, TimeSpan timeout, CancellationToken ct, IReadOnlyList<string>? inputOptions = null)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        var rtsp = url.StartsWith("rtsp://", StringComparison.Ordinal) ? new[] { "-rtsp_transport", "tcp" } : [];
        foreach (var arg in (string[])["-nostdin", "-v", "error", .. rtsp, .. inputOptions ?? [], "-i", url, "-map", "0:v:0", "-frames:v", frames.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", "framemd5", "-"])
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
            var decoded = (await output).Split('\n').Count(l => l.Length > 0 && !l.StartsWith('#'));
            return new FrameRead(decoded, watch.Elapsed, process.ExitCode, await error);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new FrameRead(0, watch.Elapsed, -1, $"no {frames} frames within {timeout.TotalSeconds} s");
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
}

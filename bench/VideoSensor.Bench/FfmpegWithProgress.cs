using System.Diagnostics;
using System.Globalization;

namespace VideoSensor.Bench;

/// <summary>An ffmpeg child that reports its frame count every second (<c>-progress pipe:1</c>), killed on dispose.</summary>
internal sealed class FfmpegWithProgress : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private (long Frames, long At) _last;

    public FfmpegWithProgress(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in (string[])["-nostdin", "-stats_period", "1", "-progress", "pipe:1", .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info)!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("frame=", StringComparison.Ordinal) && long.TryParse(line.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var frames))
            {
                lock (_gate)
                {
                    _last = (frames, Stopwatch.GetTimestamp());
                }
            }
        };
        _process.BeginOutputReadLine();
    }

    public int ProcessId => _process.Id;

    /// <summary>The last report: frames output so far, and when the report arrived (Stopwatch ticks).</summary>
    public (long Frames, long At) Last
    {
        get
        {
            lock (_gate)
            {
                return _last;
            }
        }
    }

    /// <summary>Frames per second between two reports, timed by when they arrived (not by when they were read).</summary>
    public static double Rate((long Frames, long At) from, (long Frames, long At) to) =>
        to.At > from.At ? (to.Frames - from.Frames) / Stopwatch.GetElapsedTime(from.At, to.At).TotalSeconds : 0;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync(CancellationToken.None);
        _process.Dispose();
    }
}

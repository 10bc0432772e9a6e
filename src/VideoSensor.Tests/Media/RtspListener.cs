using System.Diagnostics;
using System.Threading.Channels;

namespace VideoSensor.Tests.Media;

/// <summary>
/// An ffmpeg RTSP listener (<c>-rtsp_flags listen</c>): it accepts ANNOUNCE/RECORD like MediaMTX does
/// and writes what it receives to a file, so a publisher can be checked with ffprobe.
/// </summary>
internal sealed class RtspListener : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private bool _disposed;

    private RtspListener(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
            }
            else
            {
                _lines.Writer.TryWrite(e.Data);
            }
        };
        _process.BeginErrorReadLine();
    }

    public static RtspListener Start(int port, string output, double? seconds = null)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        string[] args = ["-hide_banner", "-loglevel", "info", "-rtsp_flags", "listen", "-i", $"rtsp://127.0.0.1:{port}/x", "-c", "copy"];
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        if (seconds is { } s)
        {
            info.ArgumentList.Add("-t");
            info.ArgumentList.Add(s.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        info.ArgumentList.Add("-y");
        info.ArgumentList.Add(output);
        return new RtspListener(Process.Start(info)!);
    }

    /// <summary>Completes when ffmpeg reports that a publisher's stream arrived.</summary>
    public async Task WaitForPublisherAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await foreach (var line in _lines.Reader.ReadAllAsync(cts.Token))
        {
            if (line.StartsWith("Input #0", StringComparison.Ordinal))
            {
                return;
            }
        }

        throw new InvalidOperationException("the listener ended before a publisher arrived");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

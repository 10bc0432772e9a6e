using System.Diagnostics;
using System.Globalization;

namespace VideoSensor.Tests.Fixtures;

/// <summary>
/// An IP camera whose every packet is known in advance: a short H.264 + AAC file (white noise, so no two audio
/// packets are alike) published in a loop with <c>-c copy</c> by ffmpeg to a MediaMTX of its own (RTSP only, free
/// loopback ports). A copy anywhere downstream keeps the file's packets byte for byte; a re-encode cannot.
/// Both processes are stopped by PID on dispose.
/// </summary>
public sealed class FileRtspCamera : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private Process? _server;
    private Process? _publisher;

    private FileRtspCamera(int port) => Port = port;

    public int Port { get; }

    public string Url => $"rtsp://127.0.0.1:{Port}/cam";

    /// <summary>The file published (H.264 320x240 15 fps, AAC-LC 48 kHz mono).</summary>
    public string File => _dir.Combine("camera.mp4");

    public static async Task<FileRtspCamera> StartAsync(string mediaMtx, CancellationToken ct)
    {
        var camera = new FileRtspCamera(FreePort.Next());
        try
        {
            await camera.StartCoreAsync(mediaMtx, ct);
            return camera;
        }
        catch
        {
            await camera.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(string mediaMtx, CancellationToken ct)
    {
        await RunAsync(["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15", "-f", "lavfi", "-i", "anoisesrc=color=white:sample_rate=48000:amplitude=0.3",
            "-t", "10", "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast", "-g", "15", "-bf", "0", "-c:a", "aac", "-b:a", "64k", "-ac", "1", "-y", File], ct);

        int rtp;
        do
        {
            rtp = FreePort.Next();
        }
        while (rtp % 2 != 0 || !FreePort.TryTake(rtp + 1));

        var config = _dir.Combine("mediamtx.yml");
        await System.IO.File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            logLevel: warn
            rtspAddress: 127.0.0.1:{Port}
            rtpAddress: 127.0.0.1:{rtp}
            rtcpAddress: 127.0.0.1:{rtp + 1}
            rtspTransports: [tcp]
            rtmp: no
            hls: no
            webrtc: no
            srt: no
            moq: no
            api: no
            metrics: no
            pprof: no
            playback: no
            paths:
              cam:
            """), ct);
        _server = Start(mediaMtx, [config]);
        await Task.Delay(500, ct); // MediaMTX binds at once; a publisher that comes too early is retried below
        for (var attempt = 0; attempt < 20 && _publisher is null; attempt++)
        {
            var publisher = Start("ffmpeg", ["-nostdin", "-v", "error", "-re", "-stream_loop", "-1", "-i", File, "-map", "0", "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp", Url]);
            await Task.Delay(700, ct);
            if (!publisher.HasExited)
            {
                _publisher = publisher;
            }
            else
            {
                publisher.Dispose();
            }
        }

        if (_publisher is null)
        {
            throw new InvalidOperationException($"ffmpeg could not publish to the camera's MediaMTX on port {Port}");
        }
    }

    private static Process Start(string program, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        using var process = Start("ffmpeg", args);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', args)} exited {process.ExitCode}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in new[] { _publisher, _server })
        {
            if (process is { HasExited: false })
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process?.Dispose();
        }

        _dir.Dispose();
    }
}

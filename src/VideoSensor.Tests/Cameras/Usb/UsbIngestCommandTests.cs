using System.Diagnostics;
using System.Globalization;
using VideoSensor.Cameras;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Cameras.Usb;

/// <summary>
/// The USB ingest command, run for real: its exact argument list with only the <c>-f v4l2 … -i /dev/videoN</c>
/// input swapped for lavfi, publishing to an ffmpeg RTSP listener (which accepts ANNOUNCE/RECORD as MediaMTX
/// does); the recording is then checked with ffprobe.
/// </summary>
public sealed class UsbIngestCommandTests
{
    [Fact]
    public async Task Ingest_publishes_browser_decodable_h264_without_b_frames_and_one_second_gop()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        var port = FreePort.Next();
        var url = $"rtsp://127.0.0.1:{port}/camera0";
        var output = dir.Combine("received.mp4");
        var source = new UsbSource("/dev/video0", "mjpeg", new Resolution(640, 360), 15);
        var args = UsbIngestCommand.Arguments(source, url).ToList();

        // Swap exactly the V4L2 input for a 3-second test pattern of the same size and rate.
        var start = args.IndexOf("v4l2") - 1;
        var end = args.IndexOf("/dev/video0");
        Assert.Equal(["-f", "v4l2", "-input_format", "mjpeg", "-video_size", "640x360", "-framerate", "15", "-i", "/dev/video0"], args[start..(end + 1)]);
        args.RemoveRange(start, end - start + 1);
        args.InsertRange(start, ["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=15:duration=3"]);

        using var listener = Start(["-hide_banner", "-loglevel", "error", "-rtsp_flags", "listen", "-timeout", "20", "-i", url, "-c", "copy", "-y", output]);
        try
        {
            var published = await PublishWithRetryAsync(args, ct);
            Assert.True(published == 0, $"ingest ffmpeg exited {published}");
            await listener.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(20), ct);
        }
        finally
        {
            if (!listener.HasExited)
            {
                listener.Kill(entireProcessTree: true);
            }
        }

        var probed = await Ffprobe.ProbeAsync(output, ct);
        Assert.Equal(("h264", "yuv420p", 0, 640, 360), (probed.Codec, probed.PixelFormat, probed.HasBFrames, probed.Width, probed.Height));
        var frames = await FrameTypesAsync(output, ct);
        Assert.InRange(frames.Count, 40, 46);
        Assert.DoesNotContain('B', frames.Select(f => f.Type));
        var keyframes = frames.Select((f, i) => (f, i)).Where(x => x.f.Key).Select(x => x.i).ToList();
        Assert.Equal(Enumerable.Range(0, keyframes.Count).Select(k => k * 15), keyframes);
    }

    [Fact]
    public async Task Ingest_with_a_microphone_publishes_h264_and_opus()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        var port = FreePort.Next();
        var url = $"rtsp://127.0.0.1:{port}/camera0";
        var output = dir.Combine("received.mp4");
        var source = new UsbSource("/dev/video0", "mjpeg", new Resolution(320, 240), 15, new UsbMicrophone(1, 0, 1, 16000));
        var args = UsbIngestCommand.Arguments(source, url).ToList();

        // Swap exactly the two device inputs (no camera, no sound card here) for lavfi sources of the same shape.
        var video = args.IndexOf("v4l2") - 1;
        args.RemoveRange(video, args.IndexOf("/dev/video0") - video + 1);
        args.InsertRange(video, ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15:duration=3"]);
        var audio = args.IndexOf("alsa") - 1;
        Assert.Equal(["-f", "alsa", "-sample_rate", "16000", "-channels", "1", "-i", "hw:1,0"], args[audio..(args.IndexOf("hw:1,0") + 1)]);
        args.RemoveRange(audio, args.IndexOf("hw:1,0") - audio + 1);
        args.InsertRange(audio, ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000:duration=3"]);

        using var listener = Start(["-hide_banner", "-loglevel", "error", "-rtsp_flags", "listen", "-timeout", "20", "-i", url, "-c", "copy", "-y", output]);
        try
        {
            var published = await PublishWithRetryAsync(args, ct);
            Assert.True(published == 0, $"ingest ffmpeg exited {published}");
            await listener.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(20), ct);
        }
        finally
        {
            if (!listener.HasExited)
            {
                listener.Kill(entireProcessTree: true);
            }
        }

        var tracks = AudioCheck.Tracks(await Ffprobe.ProbeAsync(output, ct));
        Assert.Equal([("video", "h264"), ("audio", "opus")], tracks.Select(t => (t.Type, t.Codec)));
        Assert.Equal(48000, tracks[1].SampleRate);
    }

    private static Process Start(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The listener takes a moment to bind; a publisher that finds the port closed is started again.</summary>
    private static async Task<int> PublishWithRetryAsync(List<string> args, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var publisher = Start(args);
            try
            {
                await publisher.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
            }
            finally
            {
                if (!publisher.HasExited)
                {
                    publisher.Kill(entireProcessTree: true);
                }
            }

            if (publisher.ExitCode == 0 || attempt == 20)
            {
                return publisher.ExitCode;
            }

            await Task.Delay(100, ct); // back-off between connection attempts, not polling for a result
        }
    }

    private static async Task<List<(bool Key, char Type)>> FrameTypesAsync(string path, CancellationToken ct)
    {
        var info = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-v", "error", "-select_streams", "v:0", "-show_entries", "frame=key_frame,pict_type", "-of", "csv=p=0", path })
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var text = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(','))
            .Select(p => (p[0] == "1", p[1][0]))];
    }
}

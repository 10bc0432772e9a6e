using System.Diagnostics;
using VideoSensor.Cameras;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Media.Ingest;

namespace VideoSensor.Bench;

/// <summary>
/// CPU of the audio work, each as ffmpeg children run for a fixed wall time with the RTSP publish swapped for the
/// null muxer: the service's test-pattern ingest with and without its tone, and the <c>audio.webrtc: transcode</c>
/// republish (video copied, AAC → Opus) of a looped H.264 + AAC file. Floors: bare ffmpeg doing the same work with
/// default settings (the same sources and codecs, nothing else), and plain stream copy for the transcode.
/// Prints CPU percent of one core; ratio = service / floor.
/// </summary>
internal sealed class AudioBenchmark : IBenchmark
{
    private const double Seconds = 20;

    public string Name => "audio";

    public string Description => "CPU of an ingest with and without audio, and of the Opus transcode, against bare ffmpeg";

    public async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var pattern = new TestPatternSource("testsrc2", new Resolution(1280, 720), 15);
        var withTone = pattern with { Audio = true };
        var silent = await CpuAsync(ServiceIngest(pattern), cancellationToken);
        var toned = await CpuAsync(ServiceIngest(withTone), cancellationToken);
        var bareSilent = await CpuAsync(BareIngest(pattern, audio: false), cancellationToken);
        var bareToned = await CpuAsync(BareIngest(withTone, audio: true), cancellationToken);
        BenchReport.Print(Name, "ingest_cpu_percent_without_audio", silent, "%", bareSilent);
        BenchReport.Print(Name, "ingest_cpu_percent_with_audio", toned, "%", bareToned);
        BenchReport.Print(Name, "audio_share_of_ingest_cpu_percent", toned - silent, "%", bareToned - bareSilent);

        var file = Path.Combine(Path.GetTempPath(), $"audio-bench-{Environment.ProcessId}.mp4");
        try
        {
            await MakeFeedFileAsync(file, cancellationToken);
            var input = (string[])["-re", "-stream_loop", "-1", "-i", file];
            var transcode = await CpuAsync([.. input, .. IngestStreams.For(new RtspSource(new Uri("rtsp://127.0.0.1/x"), null, null, "tcp", OpusForWebRtc: true), 15), "-f", "null", "-"], cancellationToken);
            var bareTranscode = await CpuAsync([.. input, "-map", "0:v:0", "-map", "0:a:0", "-c:v", "copy", "-c:a", "libopus", "-f", "null", "-"], cancellationToken);
            var copy = await CpuAsync([.. input, "-map", "0:v:0", "-map", "0:a:0", "-c", "copy", "-f", "null", "-"], cancellationToken);
            BenchReport.Print(Name, "opus_transcode_cpu_percent", transcode, "%", bareTranscode);
            BenchReport.Print(Name, "opus_transcode_over_copy_cpu_percent", transcode - copy, "%");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The ingest's own argument list (LatencyTarget does the same) with the publish swapped for the null muxer.</summary>
    private static string[] ServiceIngest(TestPatternSource pattern) =>
        [.. IngestProcess.BuildArguments(FfmpegInput.TestPattern(pattern), IngestStreams.For(pattern, pattern.Fps), "unused").SkipLast(5).Skip(4), "-f", "null", "-"];

    /// <summary>The same picture and tone, encoded by ffmpeg with default encoder settings for the codecs.</summary>
    private static string[] BareIngest(TestPatternSource pattern, bool audio)
    {
        var graph = $"testsrc2=size={pattern.Resolution}:rate={pattern.Fps},drawtext=text='%{{gmtime}} UTC':x=16:y=16:fontsize=36:fontcolor=white:box=1:boxcolor=black@0.6";
        return audio
            ? ["-re", "-f", "lavfi", "-i", graph + "[out0];sine=frequency=440:beep_factor=4:sample_rate=48000[out1]", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "libopus", "-f", "null", "-"]
            : ["-re", "-f", "lavfi", "-i", graph, "-c:v", "libx264", "-preset", "ultrafast", "-f", "null", "-"];
    }

    private static async Task MakeFeedFileAsync(string file, CancellationToken ct)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=15", "-f", "lavfi", "-i", "anoisesrc=sample_rate=48000:amplitude=0.3",
                     "-t", "10", "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast", "-g", "15", "-c:a", "aac", "-b:a", "64k", "-y", file])
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        await process.WaitForExitAsync(ct);
    }

    /// <summary>CPU of one ffmpeg over <see cref="Seconds"/> of wall time after a 2 s warm-up, in percent of one core.</summary>
    private static async Task<double> CpuAsync(IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var a in (string[])["-nostdin", "-v", "error", .. arguments])
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            var before = ProcessFootprint.CpuMilliseconds(process.Id);
            var watch = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(Seconds), ct);
            var after = ProcessFootprint.CpuMilliseconds(process.Id);
            return (after - before) / watch.Elapsed.TotalMilliseconds * 100;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            await process.WaitForExitAsync(CancellationToken.None);
        }
    }
}

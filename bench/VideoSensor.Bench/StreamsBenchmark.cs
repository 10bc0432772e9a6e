using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VideoSensor.Cameras;
using VideoSensor.Media;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Media.Ingest;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Media;
using VideoSensor.Tests.Media.Contract;

namespace VideoSensor.Bench;

/// <summary>
/// N test-pattern cameras streamed at once (the product brief: 8 concurrent streams on edge hardware):
/// <c>start_streaming</c> for each, the ingests publish to the real MediaMTX when <c>MEDIAMTX_BINARY</c> is set
/// (else to the RTSP relay stand-in on MediaMTX's port), and one RTSP reader per stream counts the frames it
/// receives. With the real MediaMTX the CPU of MediaMTX and of the service are reported too. The floor is N bare
/// ffmpeg encodes of the same pattern with the same encoder settings, writing nowhere.
/// </summary>
internal sealed class StreamsBenchmark : IBenchmark
{
    public string Name => "streams";
    public string Description => "N concurrent streams [N=8] [seconds=15] [WxH=1280x720] [fps=15]: ingest CPU vs bare encodes, frames each reader gets";

    public async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var count = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8;
        var seconds = args.Count > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 15;
        var resolution = Resolution.TryParse(args.Count > 2 ? args[2] : "1280x720", out var r) ? r : throw new ArgumentException("resolution must be WxH");
        var fps = args.Count > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 15;
        var pattern = new TestPatternSource("testsrc2", resolution, fps);

        Latency.LatencyBenchmark.PrintLoad(Name, "load_before");
        var floor = await MeasureBareEncodesAsync(pattern, count, seconds, cancellationToken);
        var real = Environment.GetEnvironmentVariable("MEDIAMTX_BINARY") is { Length: > 0 } ? RealMediaMtx.Binary : null;
        var streamed = real is null
            ? await MeasureStreamsAsync(pattern, count, seconds, cancellationToken)
            : await MeasureRealStreamsAsync(real, pattern, count, seconds, cancellationToken);

        BenchReport.Print(Name, "streams", count, "streams");
        BenchReport.Print(Name, "ingest_cpu_total", streamed.CpuPercent, "% of one core", floor.CpuPercent);
        BenchReport.Print(Name, "ingest_cpu_per_stream", streamed.CpuPercent / count, "% of one core", floor.CpuPercent / count);
        BenchReport.Print(Name, "cores_busy", streamed.CpuPercent / 100, "cores", Environment.ProcessorCount);
        BenchReport.Print(Name, "reader_fps_min", streamed.FpsMin, "fps", fps);
        BenchReport.Print(Name, "reader_fps_mean", streamed.FpsMean, "fps", fps);
        BenchReport.Print(Name, "bare_encode_fps_min", floor.FpsMin, "fps", fps);
        foreach (var (rate, i) in (streamed.Rates ?? []).Select((rate, i) => (rate, i)))
        {
            BenchReport.Print(Name, $"reader_fps_cam{i}", rate, "fps", fps);
        }

        BenchReport.Print(Name, "data_plane_real_mediamtx", real is null ? 0 : 1, "bool");
        foreach (var (name, cpu) in streamed.Others ?? new Dictionary<string, double>())
        {
            BenchReport.Print(Name, name + "_cpu", cpu, "% of one core");
        }

        Latency.LatencyBenchmark.PrintLoad(Name, "load_after");
    }

    /// <summary>The same with the service managing the real MediaMTX; readers authenticate with an API key as RTSP password.</summary>
    private static async Task<Sample> MeasureRealStreamsAsync(string binary, TestPatternSource pattern, int count, double seconds, CancellationToken cancellationToken)
    {
        var ports = RealMediaMtx.Ports.Allocate();
        var cameras = CameraLines(pattern, count);
        await using var service = await TestService.StartAsync(TestService.MergeSections(RealMediaMtx.Yaml(binary, ports, autoCloseAfter: 3600), $"""
            cameras:
              test_patterns:
            {cameras}
            limits:
              max_streams: {count}
            logging:
              level: Warning
            """), cancellationToken: cancellationToken);
        var state = service.Services.GetRequiredService<MediaMtxState>();
        await ExternalMediaMtx.WaitUntilRunningAsync(state, TimeSpan.FromSeconds(60));
        var api = service.Services.GetRequiredService<MediaMtxClient>();
        await using var client = await service.ConnectAsync("operator", cancellationToken);
        var ids = Enumerable.Range(0, count).Select(i => $"cam{i}").ToList();
        while ((await api.ListPathConfigsAsync(cancellationToken)).Count(p => p.Name is { } name && ids.Contains(name)) < count)
        {
            await Task.Delay(100, cancellationToken);
        }

        foreach (var id in ids)
        {
            (await client.CallAsync("start_streaming", new { device = id }, cancellationToken, TimeSpan.FromSeconds(30))).EnsureSuccess();
        }

        var published = Stopwatch.StartNew();
        while ((await api.ListPathsAsync(cancellationToken)).Count(p => ids.Contains(p.Name) && p.IsReady) < count && published.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100, cancellationToken);
        }

        var readers = ids.Select(id => new FfmpegWithProgress(["-loglevel", "error", "-rtsp_transport", "tcp", "-analyzeduration", "1000000",
            "-i", $"rtsp://viewer:{ApiKeys.Viewer}@127.0.0.1:{ports.Rtsp}/{id}", "-c", "copy", "-f", "null", "-"])).ToList();
        try
        {
            var ingests = service.Services.GetRequiredService<IngestSupervisor>().Sessions()
                .Select(s => s.Ingest?.Status.Pid ?? throw new InvalidOperationException($"{s.CameraId} has no running ingest")).ToList();
            var mediamtx = state.Status.Pid ?? throw new InvalidOperationException("MediaMTX has no pid");
            // The service runs inside this process (as in the tests); the benchmark's own work beside it is a few timers.
            return await SampleAsync(ingests, readers, seconds, cancellationToken, new Dictionary<string, int>
            {
                ["mediamtx"] = mediamtx,
                ["service"] = Environment.ProcessId,
            });
        }
        finally
        {
            foreach (var reader in readers)
            {
                await reader.DisposeAsync();
            }

            foreach (var id in ids)
            {
                await client.CallAsync("stop_streaming", new { device = id }, cancellationToken);
            }
        }
    }

    private static async Task<Sample> MeasureBareEncodesAsync(TestPatternSource pattern, int count, double seconds, CancellationToken cancellationToken)
    {
        // The ingest's own argument list with the RTSP publish swapped for the null muxer.
        var arguments = IngestProcess.BuildArguments(FfmpegInput.TestPattern(pattern), IngestStreams.For(pattern, pattern.Fps), "unused").SkipLast(5).Concat(["-f", "null", "-"]).ToList();
        var encoders = Enumerable.Range(0, count).Select(_ => new FfmpegWithProgress(arguments)).ToList();
        try
        {
            return await SampleAsync(encoders.Select(e => e.ProcessId).ToList(), encoders, seconds, cancellationToken);
        }
        finally
        {
            foreach (var encoder in encoders)
            {
                await encoder.DisposeAsync();
            }
        }
    }

    private static async Task<Sample> MeasureStreamsAsync(TestPatternSource pattern, int count, double seconds, CancellationToken cancellationToken)
    {
        await using var mtx = new MediaMtxDouble();
        var cameras = CameraLines(pattern, count);
        await using var service = await TestService.StartAsync(ExternalMediaMtx.Yaml(mtx, autoCloseAfter: 3600) + $"""

            cameras:
              test_patterns:
            {cameras}
            limits:
              max_streams: {count}
            logging:
              level: Warning
            """, cancellationToken: cancellationToken);
        await ExternalMediaMtx.WaitUntilRunningAsync(service.Services.GetRequiredService<MediaMtxState>(), TimeSpan.FromSeconds(30));
        var rtspPort = service.Services.GetRequiredService<IOptions<MediaOptions>>().Value.RtspPort;
        await using var relay = RtspRelayFactory.For(service, mtx, rtspPort);
        await using var client = await service.ConnectAsync("operator", cancellationToken);
        var ids = Enumerable.Range(0, count).Select(i => $"cam{i}").ToList();
        foreach (var id in ids)
        {
            (await client.CallAsync("start_streaming", new { device = id }, cancellationToken, TimeSpan.FromSeconds(30))).EnsureSuccess();
        }

        await relay.WaitUntilAsync(rl => ids.All(rl.IsPublished), TimeSpan.FromSeconds(60));
        var readers = ids.Select(id => new FfmpegWithProgress(["-loglevel", "error", "-rtsp_transport", "tcp", "-analyzeduration", "1000000",
            "-i", $"rtsp://viewer:{ApiKeys.Viewer}@127.0.0.1:{rtspPort}/{id}", "-c", "copy", "-f", "null", "-"])).ToList();
        try
        {
            var ingests = service.Services.GetRequiredService<IngestSupervisor>().Sessions()
                .Select(s => s.Ingest?.Status.Pid ?? throw new InvalidOperationException($"{s.CameraId} has no running ingest")).ToList();
            return await SampleAsync(ingests, readers, seconds, cancellationToken);
        }
        finally
        {
            foreach (var reader in readers)
            {
                await reader.DisposeAsync();
            }

            // Stop the ingests while the relay still takes their packets (no broken-pipe restarts on the way out).
            foreach (var id in ids)
            {
                await client.CallAsync("stop_streaming", new { device = id }, cancellationToken);
            }
        }
    }

    /// <summary>After a 5 s warm-up (readers past ffmpeg's stream probing, which holds frames back): CPU of <paramref name="pids"/> together, and the frame rate each counter reached.</summary>
    private static async Task<Sample> SampleAsync(IReadOnlyList<int> pids, IReadOnlyList<FfmpegWithProgress> counters, double seconds, CancellationToken cancellationToken, IReadOnlyDictionary<string, int>? others = null)
    {
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        // A reader still probing has reported nothing yet; give every one up to 30 s more to get going.
        var started = Stopwatch.StartNew();
        while (counters.Any(c => c.Last.Frames == 0) && started.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100, cancellationToken); // the benchmark polls the counters: it measures, it does not wait for a signal
        }

        var cpu0 = pids.Sum(ProcessFootprint.CpuMilliseconds);
        var others0 = (others ?? new Dictionary<string, int>()).ToDictionary(o => o.Key, o => ProcessFootprint.CpuMilliseconds(o.Value));
        var frames0 = counters.Select(c => c.Last).ToList();
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = (pids.Sum(ProcessFootprint.CpuMilliseconds) - cpu0) / 1000 / elapsed * 100;
        var rates = counters.Select((c, i) => FfmpegWithProgress.Rate(frames0[i], c.Last)).ToList();
        var othersCpu = (others ?? new Dictionary<string, int>()).ToDictionary(o => o.Key, o => (ProcessFootprint.CpuMilliseconds(o.Value) - others0[o.Key]) / 1000 / elapsed * 100);
        return new Sample(cpu, rates.Min(), rates.Average(), othersCpu, rates);
    }

    private sealed record Sample(double CpuPercent, double FpsMin, double FpsMean, IReadOnlyDictionary<string, double>? Others = null, IReadOnlyList<double>? Rates = null);

    /// <summary>The <c>test_patterns:</c> entries of <paramref name="count"/> cameras cam0…, one per line.</summary>
    private static string CameraLines(TestPatternSource pattern, int count) => string.Join('\n', Enumerable.Range(0, count).Select(i =>
        $"    - {{id: cam{i}, resolution: {pattern.Resolution}, fps: {pattern.Fps}}}"));
}

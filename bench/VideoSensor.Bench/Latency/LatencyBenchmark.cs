using System.Diagnostics;
using System.Globalization;
using VideoSensor.Cameras;
using VideoSensor.Tests.Console.Browser;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Bench.Latency;

/// <summary>
/// Data-plane latencies against the real MediaMTX (<c>MEDIAMTX_BINARY</c>), p50 and p95 over N runs each, for the
/// service (one test-pattern camera, readers with a token) and for the floor (MediaMTX alone running the same
/// ffmpeg through <c>runOnDemand</c>): start_streaming → first decoded RTSP frame, a cold reader (idle camera) →
/// first decoded frame over RTSP (ffmpeg, low-delay flags) and over WHEP in headless Chromium, a warm WHEP reader,
/// the first HLS playlist from cold, and how old the newest HLS part is when it becomes available.
/// </summary>
internal sealed class LatencyBenchmark : IBenchmark
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);

    public string Name => "latency";
    public string Description => "data-plane latency vs bare MediaMTX [runs=10] [WxH=1280x720] [fps=15] (needs MEDIAMTX_BINARY and /usr/bin/chromium)";

    public async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var binary = RealMediaMtx.Binary ?? throw new InvalidOperationException(RealMediaMtx.WhyUnavailable);
        var runs = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var resolution = Resolution.TryParse(args.Count > 1 ? args[1] : "1280x720", out var r) ? r : throw new ArgumentException("resolution must be WxH");
        var fps = args.Count > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 15;
        var pattern = new TestPatternSource("testsrc2", resolution, fps);
        PrintLoad(Name, "load_before");

        await using var browser = await Chromium.LaunchAsync(cancellationToken);
        Dictionary<string, List<double>> floor;
        await using (var bare = await BareTarget.StartAsync(binary, pattern, cancellationToken))
        {
            floor = await MeasureAsync(bare, browser, runs, cancellationToken);
        }

        Dictionary<string, List<double>> service;
        await using (var target = await ServiceTarget.StartAsync(binary, pattern, cancellationToken))
        {
            service = await MeasureAsync(target, browser, runs, cancellationToken);
            service["start_streaming_to_rtsp_frame"] = await StartStreamingAsync(target, runs, cancellationToken);
        }

        foreach (var (metric, values) in service)
        {
            // start_streaming has no counterpart without the service: its floor is a cold reader's first frame.
            var floorValues = floor[metric == "start_streaming_to_rtsp_frame" ? "cold_rtsp_first_frame" : metric];
            BenchReport.Print(Name, metric + "_p50", BenchReport.Percentile(values, 50), "ms", BenchReport.Percentile(floorValues, 50));
            BenchReport.Print(Name, metric + "_p95", BenchReport.Percentile(values, 95), "ms", BenchReport.Percentile(floorValues, 95));
            BenchReport.Print(Name, metric + "_runs", values.Count, "runs", floorValues.Count);
        }

        PrintLoad(Name, "load_after");
    }

    private static async Task<Dictionary<string, List<double>>> MeasureAsync(LatencyTarget target, Chromium browser, int runs, CancellationToken ct)
    {
        var results = new Dictionary<string, List<double>>(StringComparer.Ordinal)
        {
            ["cold_rtsp_first_frame"] = [], ["cold_whep_first_frame"] = [], ["cold_whep_post"] = [],
            ["cold_hls_multivariant_playlist"] = [], ["cold_hls_media_playlist"] = [],
            ["warm_whep_first_frame"] = [], ["warm_whep_post"] = [], ["warm_rtsp_first_frame"] = [], ["hls_availability_latency"] = [],
        };
        var page = await browser.NewPageAsync(ct);
        await page.GotoAsync(target.PageOrigin, ct);
        using var hls = new HlsClient(target.Token);
        for (var run = 0; run < runs; run++)
        {
            await target.WaitIdleAsync(ct);
            results["cold_rtsp_first_frame"].Add(await FirstRtspFrameAsync(target.RtspUrl, ct));

            await target.WaitIdleAsync(ct);
            var cold = await WhepReader.ReadAsync(page, target.WhepUrl, target.Token ?? "", ReadTimeout);
            await WhepReader.CloseAllAsync(page);
            Require(cold, target, "cold WHEP");
            results["cold_whep_first_frame"].Add(cold.FirstFrameMs);
            results["cold_whep_post"].Add(cold.PostMs);

            await target.WaitIdleAsync(ct);
            var (multivariant, media) = await hls.FirstPlaylistAsync(target.HlsUrl, ct);
            results["cold_hls_multivariant_playlist"].Add(multivariant);
            results["cold_hls_media_playlist"].Add(media);
        }

        await target.WaitIdleAsync(ct);
        await using (await target.HoldAsync(ct))
        {
            // Past the first GOPs, so every warm reader meets a steady stream.
            await Task.Delay(2000, ct);
            for (var run = 0; run < runs; run++)
            {
                var warm = await WhepReader.ReadAsync(page, target.WhepUrl, target.Token ?? "", ReadTimeout);
                await WhepReader.CloseAllAsync(page);
                Require(warm, target, "warm WHEP");
                results["warm_whep_first_frame"].Add(warm.FirstFrameMs);
                results["warm_whep_post"].Add(warm.PostMs);
                results["warm_rtsp_first_frame"].Add(await FirstRtspFrameAsync(target.RtspUrl, ct));
            }

            results["hls_availability_latency"].AddRange(await hls.AvailabilityLatenciesAsync(target.HlsUrl, Math.Max(30, runs), ct));
        }

        return results;
    }

    /// <summary>start_streaming on an idle camera, then at once a low-delay RTSP reader: time from the call to its first decoded frame.</summary>
    private static async Task<List<double>> StartStreamingAsync(ServiceTarget target, int runs, CancellationToken ct)
    {
        var times = new List<double>();
        await using var client = await target.Service.ConnectAsync("operator", ct);
        for (var run = 0; run < runs; run++)
        {
            await target.WaitIdleAsync(ct);
            var clock = Stopwatch.StartNew();
            (await client.CallAsync("start_streaming", new { device = "cam0" }, ct, TimeSpan.FromSeconds(30))).EnsureSuccess();
            await FirstRtspFrameAsync(target.RtspUrl, ct);
            times.Add(clock.Elapsed.TotalMilliseconds);
            (await client.CallAsync("stop_streaming", new { device = "cam0" }, ct)).EnsureSuccess();
        }

        return times;
    }

    /// <summary>A low-delay ffmpeg reader (the README floor's flags): wall time from its start to its exit after one decoded frame.</summary>
    private static async Task<double> FirstRtspFrameAsync(string url, CancellationToken ct)
    {
        var read = await FrameReader.ReadAsync(url, frames: 1, ReadTimeout, ct, ["-fflags", "nobuffer", "-flags", "low_delay", "-probesize", "32", "-analyzeduration", "0"]);
        if (read.Frames != 1)
        {
            throw new InvalidOperationException($"RTSP reader decoded no frame in {read.Elapsed.TotalSeconds:0.0} s: {read.Error}");
        }

        return read.Elapsed.TotalMilliseconds;
    }

    private static void Require(WhepRead read, LatencyTarget target, string what)
    {
        if (read.Status != 201 || read.FirstFrameMs <= 0)
        {
            throw new InvalidOperationException($"{target.Label}: {what} got no frame (status {read.Status}, POST after {read.PostMs:0} ms)");
        }
    }

    /// <summary>The machine's 1-minute load average: the figures mean little without it on a shared machine.</summary>
    internal static void PrintLoad(string bench, string metric)
    {
        var load = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        BenchReport.Print(bench, metric, load, "load average (1 min)", Environment.ProcessorCount);
    }
}

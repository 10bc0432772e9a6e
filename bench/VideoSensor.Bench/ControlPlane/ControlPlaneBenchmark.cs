using System.Diagnostics;
using System.Globalization;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Bench.ControlPlane;

/// <summary>
/// Footprint and per-request cost of the control plane, for the Native AOT build (the artifact users run), the JIT
/// build and, when given, another implementation of the same API (<c>COMPARE_BIN</c>), each against the raw Kestrel
/// WebSocket echo built the same way (the floor app in echo mode: framing only). Every target runs alone, one after
/// the other, with the same load client:
/// idle RSS; ping at 1, 10 and 256 closed-loop connections and 1,000 paced ones (p50, p99, req/s, server CPU µs per
/// request); get_camera_list at 1 and 10; RSS with 256 and with 1,000 connections open, and after they close.
/// </summary>
internal sealed class ControlPlaneBenchmark : IBenchmark
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PacedInterval = TimeSpan.FromMilliseconds(500);

    public string Name => "control";
    public string Description => "control plane: RSS idle/256/1000 clients, CPU µs and p50/p99 per request at 1-1000 connections; native, JIT, COMPARE_BIN vs raw echo";

    public async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var seconds = double.Parse(Option(args, "--seconds") ?? "5", CultureInfo.InvariantCulture);
        var duration = TimeSpan.FromSeconds(seconds);
        var only = (Option(args, "--only") ?? "native,jit,compare").Split(',');
        var results = new Dictionary<string, Figures>();

        var jitFloor = new[] { ServiceBinary.DotnetHost, Path.Combine(AppContext.BaseDirectory, "VideoSensor.Floor.dll") };
        if (only.Contains("native"))
        {
            var nativeService = Option(args, "--native") ?? await NativeBuilds.ServiceAsync(cancellationToken);
            var nativeFloor = await NativeBuilds.FloorAsync(cancellationToken);
            results["echo-native"] = await MeasureAsync(() => ControlTarget.EchoAsync("echo-native", [nativeFloor], cancellationToken), duration, cancellationToken);
            results["native"] = await MeasureAsync(() => ControlTarget.ServiceAsync("native", [Path.GetFullPath(nativeService)], cancellationToken), duration, cancellationToken);
        }

        if (only.Contains("jit"))
        {
            results["echo-jit"] = await MeasureAsync(() => ControlTarget.EchoAsync("echo-jit", jitFloor, cancellationToken), duration, cancellationToken);
            results["jit"] = await MeasureAsync(() => ControlTarget.ServiceAsync("jit", [ServiceBinary.DotnetHost, ServiceBinary.ManagedDll], cancellationToken), duration, cancellationToken);
        }

        if (only.Contains("compare") && (Option(args, "--compare-bin") ?? Environment.GetEnvironmentVariable("COMPARE_BIN")) is { Length: > 0 } compareBin)
        {
            var compareArgs = (Option(args, "--compare-args") ?? Environment.GetEnvironmentVariable("COMPARE_ARGS") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var url = new Uri(Option(args, "--compare-url") ?? Environment.GetEnvironmentVariable("COMPARE_URL") ?? "ws://127.0.0.1:8002/ws");
            var token = Option(args, "--compare-token") ?? Environment.GetEnvironmentVariable("COMPARE_TOKEN");
            results["compare"] = await MeasureAsync(() => ControlTarget.CompareAsync([compareBin, .. compareArgs], url, token, cancellationToken), duration, cancellationToken);
        }

        Report(results);
        Console.Error.WriteLine("targets: native idle RSS <= 35 MB; CPU per ping <= 1.2x the echo; p99 at 256 connections <= the echo's + 2 ms");
    }

    /// <summary>Every figure of every target, against the echo built like it; then the native build against the others.</summary>
    private void Report(Dictionary<string, Figures> results)
    {
        foreach (var (build, figures) in results.Where(r => !r.Key.StartsWith("echo-", StringComparison.Ordinal)))
        {
            var floor = results.GetValueOrDefault(build == "jit" ? "echo-jit" : "echo-native");
            foreach (var (metric, (value, unit)) in figures.Values)
            {
                double? floorValue = floor?.Values.TryGetValue(metric, out var f) == true ? f.Value : null;
                BenchReport.Print(Name, metric, value, unit, floorValue, build);
            }

            if (floor is not null && figures.Values.TryGetValue("p99_ms_ping_256_conn", out var p99) && floor.Values.TryGetValue("p99_ms_ping_256_conn", out var floorP99))
            {
                // The target is absolute (echo + 2 ms), so the margin is printed as it is.
                BenchReport.Print(Name, "p99_ms_ping_256_conn_over_floor", p99.Value - floorP99.Value, "ms", null, build);
            }
        }

        foreach (var other in new[] { "jit", "compare" })
        {
            if (results.TryGetValue("native", out var native) && results.TryGetValue(other, out var against))
            {
                foreach (var (metric, (value, unit)) in native.Values.Where(v => against.Values.ContainsKey(v.Key)))
                {
                    BenchReport.Print(Name, metric, value, unit, against.Values[metric].Value, $"native_vs_{other}");
                }
            }
        }
    }

    private static async Task<Figures> MeasureAsync(Func<Task<ControlTarget>> start, TimeSpan duration, CancellationToken ct)
    {
        await using var target = await start();
        var figures = new Figures();
        await Task.Delay(Idle, ct);
        figures.Add("idle_rss", ProcessFootprint.Read(target.Pid).RssMb, "MB");

        foreach (var connections in new[] { 1, 10, 256 })
        {
            await LoadAsync(target, figures, "ping", RpcLoad.Ping, connections, duration, null, ct);
        }

        if (target.Token is not null || target.Name.StartsWith("echo-", StringComparison.Ordinal))
        {
            foreach (var connections in new[] { 1, 10 })
            {
                await LoadAsync(target, figures, "camera_list", RpcLoad.CameraList, connections, duration, null, ct);
            }
        }

        await LoadAsync(target, figures, "ping", RpcLoad.Ping, 1000, duration * 2, PacedInterval, ct);
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        figures.Add("rss_after_close", ProcessFootprint.Read(target.Pid).RssMb, "MB");
        Console.Error.WriteLine($"{target.Name}: measured");
        return figures;
    }

    private static async Task LoadAsync(ControlTarget target, Figures figures, string method, byte[] message, int connections, TimeSpan duration, TimeSpan? interval, CancellationToken ct)
    {
        var sockets = await RpcLoad.OpenAsync(target.Url, connections, target.Token, ct);
        try
        {
            // Warm-up outside the sample: first calls JIT-compile, fill caches and grow buffers.
            await RpcLoad.RunAsync(sockets, message, TimeSpan.FromSeconds(Math.Min(1, duration.TotalSeconds / 4)), interval, ct);
            var cpuBefore = ProcessFootprint.CpuMilliseconds(target.Pid);
            var result = await RpcLoad.RunAsync(sockets, message, duration, interval, ct);
            var cpuMs = ProcessFootprint.CpuMilliseconds(target.Pid) - cpuBefore;
            if (result.Errors > 0)
            {
                throw new InvalidOperationException($"{target.Name}: {result.Errors} of {result.Requests} {method} requests had no result");
            }

            var suffix = $"{method}_{connections}_conn" + (interval is null ? "" : "_paced");
            figures.Add($"p50_ms_{suffix}", BenchReport.Percentile(result.LatenciesMs, 50), "ms");
            figures.Add($"p99_ms_{suffix}", BenchReport.Percentile(result.LatenciesMs, 99), "ms");
            figures.Add($"rps_{suffix}", result.RequestsPerSecond, "req/s");
            figures.Add($"cpu_us_per_{suffix}", cpuMs * 1000 / result.Requests, "µs");
            if (connections >= 256)
            {
                figures.Add($"rss_{connections}_conn_open", ProcessFootprint.Read(target.Pid).RssMb, "MB");
            }
        }
        finally
        {
            RpcLoad.Close(sockets);
        }
    }

    private static string? Option(IReadOnlyList<string> args, string name)
    {
        var i = args.ToList().IndexOf(name);
        return i >= 0 && i + 1 < args.Count ? args[i + 1] : null;
    }

    private sealed class Figures
    {
        public Dictionary<string, (double Value, string Unit)> Values { get; } = new(StringComparer.Ordinal);

        public void Add(string metric, double value, string unit) => Values[metric] = (value, unit);
    }
}

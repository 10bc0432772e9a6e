using System.Diagnostics;
using System.Globalization;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Bench;

/// <summary>
/// Time and CPU from process start to <c>/health/ready</c>, and memory at idle and after one <c>/health</c>
/// request, of the service with the default config, each against the same figures of the floor app
/// (<c>bench/VideoSensor.Floor</c>: the smallest Kestrel app, started and measured exactly the same way).
/// <c>--service-dll PATH</c> measures another build of the service (e.g. the ReadyToRun publish that
/// scripts/run.sh runs); <c>--native-floor PATH</c> also measures a Native AOT build of the floor app.
/// </summary>
internal sealed class StartupBenchmark : IBenchmark
{
    private const int Runs = 5;
    private static readonly TimeSpan IdleTime = TimeSpan.FromSeconds(5);

    public string Name => "startup";
    public string Description => "time/CPU to ready and idle memory of the service vs the minimal Kestrel app";

    public async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var floorCommand = new[] { ServiceProcess.DotnetHost, Path.Combine(AppContext.BaseDirectory, "VideoSensor.Floor.dll") };
        var serviceCommand = Option(args, "--service-dll") is { } dll ? new[] { ServiceProcess.DotnetHost, Path.GetFullPath(dll) } : null;
        var exitFloor = new List<double>();
        var service = new List<Sample>();
        var floor = new List<Sample>();
        for (var i = 0; i < Runs; i++)
        {
            exitFloor.Add(await StartAndExitAsync(cancellationToken));
            service.Add(await MeasureAsync(serviceCommand, cancellationToken));
            floor.Add(await MeasureAsync(floorCommand, cancellationToken));
        }

        Print("time_to_ready_p50", service, floor, s => s.ReadyMs, "ms");
        BenchReport.Print(Name, "time_to_ready_max", service.Max(s => s.ReadyMs), "ms", floor.Max(s => s.ReadyMs));
        BenchReport.Print(Name, "start_and_exit_p50", BenchReport.Percentile(exitFloor, 50), "ms");
        Print("cpu_to_ready_p50", service, floor, s => s.AtReady.CpuMs, "ms");
        Print("idle_rss_p50", service, floor, s => s.Idle.RssMb, "MB");
        Print("idle_private_p50", service, floor, s => s.Idle.PrivateMb, "MB");
        Print("idle_shared_p50", service, floor, s => s.Idle.SharedMb, "MB");
        Print("idle_anonymous_p50", service, floor, s => s.Idle.AnonymousMb, "MB");
        Print("rss_after_health_p50", service, floor, s => s.AfterHealth.RssMb, "MB");
        Print("idle_cpu_ms_per_s_p50", service, floor, s => s.IdleCpuMsPerSecond, "ms/s");

        if (Option(args, "--native-floor") is { } nativeFloor)
        {
            var native = new List<Sample>();
            for (var i = 0; i < Runs; i++)
            {
                native.Add(await MeasureAsync([Path.GetFullPath(nativeFloor)], cancellationToken));
            }

            BenchReport.Print(Name, "native_floor_cpu_to_ready_p50", BenchReport.Percentile(native.Select(s => s.AtReady.CpuMs).ToList(), 50), "ms");
            BenchReport.Print(Name, "native_floor_idle_rss_p50", BenchReport.Percentile(native.Select(s => s.Idle.RssMb).ToList(), 50), "MB");
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"targets: ready < 2000 ms, idle RSS <= 35 MB"));
    }

    private static string? Option(IReadOnlyList<string> args, string name)
    {
        var index = args.ToList().IndexOf(name);
        return index >= 0 && index + 1 < args.Count ? args[index + 1] : null;
    }

    private void Print(string metric, List<Sample> service, List<Sample> floor, Func<Sample, double> value, string unit) =>
        BenchReport.Print(Name, metric, BenchReport.Percentile(service.Select(value).ToList(), 50), unit, BenchReport.Percentile(floor.Select(value).ToList(), 50));

    /// <summary>The runtime starting and exiting: the service binary printing its usage.</summary>
    private static async Task<double> StartAndExitAsync(CancellationToken cancellationToken)
    {
        var sw = Stopwatch.StartNew();
        using var help = Process.Start(new ProcessStartInfo(ServiceProcess.DotnetHost, [ServiceProcess.ServiceDll, "--help"]) { RedirectStandardOutput = true })!;
        await help.WaitForExitAsync(cancellationToken);
        return sw.Elapsed.TotalMilliseconds;
    }

    private static async Task<Sample> MeasureAsync(IReadOnlyList<string>? command, CancellationToken cancellationToken)
    {
        await using var process = await ServiceProcess.StartAsync(extraYaml: null, cancellationToken, command: command);
        var atReady = ProcessFootprint.Read(process.Pid);
        await Task.Delay(IdleTime, cancellationToken);
        var idle = ProcessFootprint.Read(process.Pid);
        using (var http = new HttpClient())
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{process.Port}/health"), cancellationToken);
            response.EnsureSuccessStatusCode();
        }

        var afterHealth = ProcessFootprint.Read(process.Pid);
        return new Sample(process.TimeToReady.TotalMilliseconds, atReady, idle, afterHealth, (idle.CpuMs - atReady.CpuMs) / IdleTime.TotalSeconds);
    }

    private sealed record Sample(double ReadyMs, ProcessFootprint AtReady, ProcessFootprint Idle, ProcessFootprint AfterHealth, double IdleCpuMsPerSecond);
}

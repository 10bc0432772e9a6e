using System.Diagnostics;
using System.Globalization;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Bench;

/// <summary>Time from process start to <c>/health/ready</c>, and idle resident memory with the default config.</summary>
internal sealed class StartupBenchmark : IBenchmark
{
    public string Name => "startup";
    public string Description => "time to ready and idle RSS of the service with the default config";

    public async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        const int runs = 5;
        var ready = new List<double>();
        var rss = new List<double>();
        var floor = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            // The floor: the same binary printing its usage, i.e. runtime start-up and exit, nothing else.
            var sw = Stopwatch.StartNew();
            using (var help = Process.Start(new ProcessStartInfo(ServiceProcess.DotnetHost, [ServiceProcess.ServiceDll, "--help"]) { RedirectStandardOutput = true })!)
            {
                await help.WaitForExitAsync(cancellationToken);
            }

            floor.Add(sw.Elapsed.TotalMilliseconds);

            await using var service = await ServiceProcess.StartAsync(extraYaml: null, cancellationToken);
            ready.Add(service.TimeToReady.TotalMilliseconds);
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            rss.Add(service.ResidentMegabytes());
        }

        BenchReport.Print(Name, "time_to_ready_p50", BenchReport.Percentile(ready, 50), "ms", BenchReport.Percentile(floor, 50));
        BenchReport.Print(Name, "time_to_ready_max", ready.Max(), "ms", floor.Max());
        BenchReport.Print(Name, "idle_rss_p50", BenchReport.Percentile(rss, 50), "MB");
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"targets: ready < 2000 ms, idle RSS <= 35 MB"));
    }
}

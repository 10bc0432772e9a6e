using VideoSensor.Bench;

// Each benchmark prints JSON lines: {"bench","metric","value","unit","floor","ratio"}.
IBenchmark[] benchmarks =
[
    new StartupBenchmark(),
    new PingBenchmark(),
    new VideoSensor.Bench.ControlPlane.ControlPlaneBenchmark(),
    new UsbHotplugBenchmark(),
    new RecordingBenchmark(),
    new StreamsBenchmark(),
    new VideoSensor.Bench.Latency.LatencyBenchmark(),
    new SoakBenchmark(),
    new FeedFailoverBenchmark(),
    new AudioBenchmark(),
];

if (args.Length == 2 && args[0] == "echo-server")
{
    await EchoServer.RunAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}

var name = args.Length > 0 ? args[0] : "list";
if (name is "list" or "--help")
{
    foreach (var b in benchmarks)
    {
        Console.WriteLine($"{b.Name,-16} {b.Description}");
    }

    Console.WriteLine("all              run every benchmark");
    return 0;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
var selected = name == "all" ? benchmarks : benchmarks.Where(b => b.Name == name).ToArray();
if (selected.Length == 0)
{
    await Console.Error.WriteLineAsync($"unknown benchmark '{name}'; try 'list'");
    return 2;
}

foreach (var benchmark in selected)
{
    await benchmark.RunAsync(args.Skip(1).ToArray(), cts.Token);
}

return 0;

using System.Globalization;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Fixtures.Dapr;

namespace VideoSensor.Bench;

/// <summary>
/// Feed ownership failover with the real runtime: two sensor processes, two daprd, placement and Redis share one
/// GStreamer RTSP camera; each run kill -9s the instance whose MediaMTX pulls it (service and sidecar) and times
/// until the other one's MediaMTX pulls it, read from /proc, sampling every 50 ms that never two pull at once.
/// The floor is the configured lease (the documented bound is lease + one renewal period).
/// Arguments: [runs=5] [lease_seconds=15].
/// </summary>
internal sealed class FeedFailoverBenchmark : IBenchmark
{
    public string Name => "failover";
    public string Description => "kill -9 of the RTSP feed owner: time until the other instance pulls (real daprd/placement/Redis)";

    public async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var runs = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var lease = args.Count > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 15;
        if ((RealDaprTools.WhyUnavailable ?? RealMediaMtx.WhyUnavailable) is { } why)
        {
            await Console.Error.WriteLineAsync($"failover: {why}");
            return;
        }

        await using var pair = await SharedFeedPair.StartAsync(RealMediaMtx.Binary!, lease, cancellationToken);
        var owner = await pair.SingleOwnerAsync(TimeSpan.FromSeconds(3), cancellationToken);
        var seconds = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var (takeOver, survivor) = await pair.KillOwnerAsync(owner, cancellationToken);
            seconds.Add(takeOver.TotalSeconds);
            BenchReport.Print("failover", $"run{run + 1}_takeover", takeOver.TotalSeconds, "s", lease);
            // The restarted instance must find the feed taken: the survivor stays the only puller.
            owner = await pair.SingleOwnerAsync(TimeSpan.FromSeconds(lease / 3.0 + 2), cancellationToken);
            if (owner != survivor)
            {
                throw new InvalidOperationException($"after run {run + 1} the feed moved back to the restarted {owner.Instance}");
            }
        }

        BenchReport.Print("failover", "takeover_p50", BenchReport.Percentile(seconds, 50), "s", lease);
        BenchReport.Print("failover", "takeover_max", seconds.Max(), "s", lease);
        BenchReport.Print("failover", "most_pullers_at_once", pair.MostPullersAtOnce, "processes", 1);
    }
}

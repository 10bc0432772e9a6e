using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Cameras.Usb.Hotplug;
using VideoSensor.Cameras.Usb.V4l2;
using VideoSensor.Tests.Cameras.Usb;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Bench;

/// <summary>
/// Hot-plug latency: a kernel-format uevent injected over real netlink (group 1) → the service's listener →
/// sysfs read → V4L2 probe (kernel-layout answers; there is no video device here) → registry → WebSocket
/// notification on a real client. The floor is a raw netlink socket in the same process receiving the same
/// multicast datagram. Needs root (sending to the uevent group needs CAP_NET_ADMIN).
/// </summary>
internal sealed class UsbHotplugBenchmark : IBenchmark
{
    public string Name => "usb-hotplug";
    public string Description => "uevent -> WebSocket camera.connected/disconnected latency p50/p99 vs raw netlink receive";

    public async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            await Console.Error.WriteLineAsync("usb-hotplug needs root (CAP_NET_ADMIN) to send uevents to the multicast group");
            return;
        }

        var rounds = args.Count > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var n) ? n : 200;
        foreach (var debounce in new[] { new VideoSensor.Cameras.Usb.UsbOptions().HotplugDebounceMs, 5 })
        {
            await MeasureAsync(debounce, rounds, cancellationToken);
        }

        await Console.Error.WriteLineAsync("target: uevent -> notification p99 < 50 ms (the first run uses the default debounce, the second a 5 ms one)");
    }

    private async Task MeasureAsync(int debounceMs, int rounds, CancellationToken ct)
    {
        using var tree = new SysfsTree();
        var v4l2 = new FakeV4l2Opener();
        var yaml = HotplugFixture.Config(tree, debounceMs: debounceMs);
        await using var service = await TestService.StartAsync(yaml, s => s.AddSingleton<IV4l2DeviceOpener>(v4l2), cancellationToken: ct);
        await using var client = await service.ConnectAsync("viewer", ct);
        (await client.CallAsync("subscribe_events", new { topics = new[] { "camera.connected", "camera.disconnected" } }, ct)).EnsureSuccess();

        using var floorSocket = NetlinkUeventSocket.Open(NetlinkAddress.Mask(NetlinkAddress.KernelGroup));
        using var sender = NetlinkUeventSocket.Open(0);
        var floorReceived = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        const int warmup = 10;
        using var allReceived = new CountdownEvent(rounds + warmup);
        var floorThread = new Thread(() =>
        {
            var buffer = new byte[8192];
            while (floorSocket.Receive(buffer, out _) is var length and > 0)
            {
                var now = Stopwatch.GetTimestamp();
                if (UeventParser.Parse(buffer.AsSpan(0, length))?.Properties.GetValueOrDefault("SEQNUM") is { } seq)
                {
                    floorReceived[seq] = now;
                    allReceived.Signal();
                }
            }
        }) { IsBackground = true };
        floorThread.Start();

        var latencies = new List<double>();
        var starts = new Dictionary<string, long>();
        for (var i = 0; i < rounds + warmup; i++)
        {
            var add = i % 2 == 0;
            if (add)
            {
                v4l2.Set(tree.AddNode("video7", "1-2", serial: "BENCH1"), FakeNode.Camera("MJPG", "YUYV"));
            }
            else
            {
                tree.RemoveNode("video7");
            }

            var seq = (100_000 + i).ToString(CultureInfo.InvariantCulture);
            var message = HotplugFixture.KernelUevent(add ? "add" : "remove", "video7", 100_000 + i);
            var start = Stopwatch.GetTimestamp();
            sender.Send(message, NetlinkAddress.Mask(NetlinkAddress.KernelGroup));
            await client.NextNotificationAsync(add ? "camera.connected" : "camera.disconnected", TimeSpan.FromSeconds(10));
            var end = Stopwatch.GetTimestamp();
            if (i >= warmup)
            {
                latencies.Add(Stopwatch.GetElapsedTime(start, end).TotalMilliseconds);
                starts[seq] = start;
            }
        }

        // The raw listener may be scheduled after the service's own; wait for it to have seen every datagram.
        allReceived.Wait(TimeSpan.FromSeconds(5), ct);
        floorSocket.Wake();
        floorThread.Join();
        var floors = starts.Select(p => floorReceived.TryGetValue(p.Key, out var got) ? Stopwatch.GetElapsedTime(p.Value, got).TotalMilliseconds : double.NaN).ToList();
        var suffix = string.Create(CultureInfo.InvariantCulture, $"debounce{debounceMs}ms");
        var validFloors = floors.Where(f => !double.IsNaN(f)).ToList();
        BenchReport.Print(Name, $"uevent_to_ws_p50_{suffix}", BenchReport.Percentile(latencies, 50), "ms", BenchReport.Percentile(validFloors, 50));
        BenchReport.Print(Name, $"uevent_to_ws_p99_{suffix}", BenchReport.Percentile(latencies, 99), "ms", BenchReport.Percentile(validFloors, 99));
        BenchReport.Print(Name, $"uevent_to_ws_max_{suffix}", latencies.Max(), "ms", validFloors.Max());
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{Name} {suffix}: {latencies.Count} events, floor samples {validFloors.Count}");
        await Console.Error.WriteLineAsync(text.ToString());
    }
}

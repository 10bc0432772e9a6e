using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Recording;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Bench;

/// <summary>
/// Recording against the GStreamer RTSP camera: the recorder's CPU and RSS next to a raw <c>ffmpeg -c copy</c>
/// of the same stream, <c>start_recording</c> to first bytes on disk, and cold vs warm (live-frame) snapshots.
/// </summary>
internal sealed class RecordingBenchmark : IBenchmark
{
    private const string Device = "cam";

    public string Name => "recording";
    public string Description => "recorder CPU/RSS vs raw ffmpeg -c copy, start_recording -> first bytes, cold/warm snapshot p50/p99";

    public async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var seconds = args.Count > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 15;
        await using var camera = await RtspTestServer.StartAsync(keyInt: 15);
        await using var service = await TestService.StartAsync(RtspFeedYaml.Cameras(camera, Device) + "\n" + """
            recording:
              segment_seconds: 10
            logging:
              level: Warning
            """, cancellationToken: cancellationToken);
        await using var client = await service.ConnectAsync("admin", cancellationToken);
        await WaitConnectedAsync(client, cancellationToken);

        // Floor: the plainest recorder there is, same input, same segmenting, no supervision or live frame.
        using var raw = new TempDirectory("bench-raw");
        var floor = await MeasureRawAsync(camera.Url, raw.Path, seconds, cancellationToken);

        var firstBytes = new List<double>();
        (double Cpu, double Rss) recorder = default;
        var folder = Path.Combine(service.StorageRoot, "recordings", Device);
        for (var i = 0; i < 5; i++)
        {
            var before = Directory.Exists(folder) ? Directory.GetFiles(folder).ToHashSet() : [];
            var sw = Stopwatch.StartNew();
            var call = client.CallAsync("start_recording", new { device = Device }, cancellationToken, TimeSpan.FromSeconds(30));
            while (!(Directory.Exists(folder) && Directory.GetFiles(folder).Any(f => !before.Contains(f) && new FileInfo(f).Length > 0)))
            {
                await Task.Delay(2, cancellationToken); // the benchmark polls the disk: it measures, it does not wait for a signal
            }

            firstBytes.Add(sw.Elapsed.TotalMilliseconds);
            (await call).EnsureSuccess();
            if (i == 0)
            {
                var manager = service.Services.GetRequiredService<RecordingManager>();
                manager.TryGet(Device, out var session);
                recorder = await SampleAsync(session.RecorderProcessId!.Value, seconds, cancellationToken);
            }

            (await client.CallAsync("stop_recording", new { device = Device }, cancellationToken, TimeSpan.FromSeconds(30))).EnsureSuccess();
        }

        var cold = await SnapshotsAsync(client, 10, cancellationToken);
        (await client.CallAsync("start_recording", new { device = Device }, cancellationToken, TimeSpan.FromSeconds(30))).EnsureSuccess();
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // let the recorder write its first live frame
        var warm = await SnapshotsAsync(client, 30, cancellationToken);
        (await client.CallAsync("stop_recording", new { device = Device }, cancellationToken, TimeSpan.FromSeconds(30))).EnsureSuccess();

        BenchReport.Print(Name, "recorder_cpu_percent", recorder.Cpu, "%", floor.Cpu);
        BenchReport.Print(Name, "recorder_rss", recorder.Rss, "MB", floor.Rss);
        BenchReport.Print(Name, "start_to_first_bytes_p50", BenchReport.Percentile(firstBytes, 50), "ms");
        BenchReport.Print(Name, "start_to_first_bytes_max", firstBytes.Max(), "ms");
        BenchReport.Print(Name, "snapshot_cold_p50", BenchReport.Percentile(cold, 50), "ms");
        BenchReport.Print(Name, "snapshot_cold_p99", BenchReport.Percentile(cold, 99), "ms");
        BenchReport.Print(Name, "snapshot_warm_p50", BenchReport.Percentile(warm, 50), "ms", BenchReport.Percentile(cold, 50));
        BenchReport.Print(Name, "snapshot_warm_p99", BenchReport.Percentile(warm, 99), "ms", BenchReport.Percentile(cold, 99));
    }

    private static async Task<(double Cpu, double Rss)> MeasureRawAsync(string url, string folder, double seconds, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-i", url, "-map", "0:v:0", "-c", "copy", "-f", "segment", "-segment_time", "10",
                     "-segment_format", "mp4", "-segment_format_options", "movflags=+frag_keyframe+empty_moov+default_base_moof", Path.Combine(folder, "raw_%04d.mp4") })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // connected and past the first key frame
            return await SampleAsync(process.Id, seconds, cancellationToken);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>CPU (percent of one core) and mean RSS of a process over a window, from /proc.</summary>
    private static async Task<(double Cpu, double Rss)> SampleAsync(int pid, double seconds, CancellationToken cancellationToken)
    {
        var ticks0 = CpuTicks(pid);
        var sw = Stopwatch.StartNew();
        var rss = new List<double>();
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            await Task.Delay(500, cancellationToken);
            rss.Add(RssMegabytes(pid));
        }

        var cpu = (CpuTicks(pid) - ticks0) / 100.0 / sw.Elapsed.TotalSeconds * 100;
        return (cpu, rss.Average());
    }

    private static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static double RssMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    private static async Task<List<double>> SnapshotsAsync(RpcTestClient client, int count, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var sw = Stopwatch.StartNew();
            (await client.CallAsync("take_snapshot", new { device = Device }, cancellationToken, TimeSpan.FromSeconds(30))).EnsureSuccess();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    private static async Task WaitConnectedAsync(RpcTestClient client, CancellationToken cancellationToken)
    {
        var status = (await client.CallAsync("get_camera_status", new { device = Device }, cancellationToken)).EnsureSuccess().Result;
        if (status.GetProperty("status").GetString() != "CONNECTED")
        {
            await client.NextNotificationAsync("camera_status_update", TimeSpan.FromSeconds(30),
                p => p.GetProperty("device").GetString() == Device && p.GetProperty("status").GetString() == "CONNECTED");
        }
    }
}

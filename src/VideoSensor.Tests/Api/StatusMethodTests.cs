using CliWrap;
using CliWrap.Buffered;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Api;

/// <summary>Status and metrics report measured values of the running service.</summary>
public sealed class StatusMethodTests
{
    [Fact]
    public async Task Status_lists_the_contract_components_and_the_real_ones()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(cancellationToken: ct);
        await using var admin = await service.ConnectAsync("admin", ct);

        var status = (await admin.CallAsync("get_status", cancellationToken: ct)).EnsureSuccess().Result;

        var details = status.GetProperty("component_details");
        // A missing mediamtx binary (as on the build machines) stops streaming only: the service is degraded, not unhealthy.
        var mediamtx = details.GetProperty("mediamtx").GetProperty("status").GetString();
        Assert.Equal(mediamtx == "STOPPED" ? "DEGRADED" : "HEALTHY", status.GetProperty("status").GetString());
        foreach (var name in new[] { "websocket_server", "camera_monitor", "mediamtx", "dapr", "ffmpeg", "storage" })
        {
            Assert.True(details.TryGetProperty(name, out _), name);
        }

        Assert.Equal("HEALTHY", details.GetProperty("ffmpeg").GetProperty("status").GetString());
        Assert.True(status.GetProperty("uptime").GetDouble() > 0);

        // Existing clients validate components as plain state strings: the same parts, each in the state its health implies.
        var components = status.GetProperty("components");
        Assert.Equal(details.EnumerateObject().Select(p => p.Name).Order(), components.EnumerateObject().Select(p => p.Name).Order());
        Assert.All(components.EnumerateObject(), c => Assert.Contains(c.Value.GetString(), new[] { "RUNNING", "STOPPED", "ERROR", "STARTING", "STOPPING" }));
        Assert.Equal("RUNNING", components.GetProperty("ffmpeg").GetString());
        Assert.Equal(mediamtx == "STOPPED" ? "STOPPED" : "RUNNING", components.GetProperty("mediamtx").GetString());
        Assert.Equal("STOPPED", components.GetProperty("dapr").GetString()); // no sidecar configured here: DISABLED in the details
    }

    [Fact]
    public async Task System_status_is_partial_while_a_camera_is_down()
    {
        var ct = TestContext.Current.CancellationToken;
        var deadPort = FreePort.Next();
        await using var service = await TestService.StartAsync($"cameras:\n  rtsp:\n    - id: gone\n      url: rtsp://127.0.0.1:{deadPort}/x\n", cancellationToken: ct);
        await using var viewer = await service.ConnectAsync("viewer", ct);

        var status = (await viewer.CallAsync("get_system_status", cancellationToken: ct)).EnsureSuccess().Result;

        Assert.Equal("partial", status.GetProperty("status").GetString());
        Assert.Equal(["test0"], status.GetProperty("available_cameras").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Metrics_are_measured()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(cancellationToken: ct);
        await using var admin = await service.ConnectAsync("admin", ct);
        (await admin.CallAsync("take_snapshot", new { device = "test0" }, ct)).EnsureSuccess();

        var metrics = (await admin.CallAsync("get_metrics", cancellationToken: ct)).EnsureSuccess().Result;

        var system = metrics.GetProperty("system_metrics");
        Assert.Equal(Environment.WorkingSet, system.GetProperty("memory_rss_bytes").GetInt64(), (double)Environment.WorkingSet * 0.2);

        // The figures existing clients read, against the kernel's own accounting read here independently.
        var (rss, threads, memTotal) = ReadProc();
        Assert.Equal(100.0 * rss / memTotal, system.GetProperty("memory_usage").GetDouble(), 100.0 * rss / memTotal * 0.25);
        Assert.Equal(threads, system.GetProperty("goroutines").GetInt32(), Math.Max(8.0, threads * 0.25));
        var (size, avail) = await DfAsync(service.StorageRoot, ct);
        Assert.Equal(100.0 * (size - avail) / size, system.GetProperty("disk_usage").GetDouble(), 0.5);
        Assert.InRange(system.GetProperty("cpu_usage").GetDouble(), 0.0, 100.0);
        Assert.True(system.GetProperty("cpu_seconds_total").GetDouble() > 0);
        var files = Directory.GetFiles(Path.Combine(service.StorageRoot, "snapshots"), "*", SearchOption.AllDirectories);
        Assert.Equal(files.Length, metrics.GetProperty("recording_metrics").GetProperty("snapshot_files").GetInt32());
        Assert.Equal(files.Sum(f => new FileInfo(f).Length), metrics.GetProperty("recording_metrics").GetProperty("snapshot_bytes").GetInt64());
        Assert.Equal(1, metrics.GetProperty("stream_metrics").GetProperty("websocket_connections").GetInt32());
        Assert.True(metrics.GetProperty("stream_metrics").GetProperty("rpc_calls_total").GetInt64() >= 2);

        using var http = new HttpClient();
        var prometheus = await http.GetStringAsync(new Uri(service.BaseUri, "/metrics"), ct);
        Assert.Contains("videosensor_rpc_calls", prometheus, StringComparison.Ordinal);
        Assert.Contains("method=\"take_snapshot\"", prometheus, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_info_names_the_runtime_in_the_field_existing_clients_require()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(cancellationToken: ct);
        await using var viewer = await service.ConnectAsync("viewer", ct);

        var info = (await viewer.CallAsync("get_server_info", cancellationToken: ct)).EnsureSuccess().Result;

        Assert.Equal(System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, info.GetProperty("go_version").GetString());
        Assert.StartsWith(".NET ", info.GetProperty("runtime_version").GetString(), StringComparison.Ordinal);
        Assert.Equal(typeof(VideoSensor.Hosting.SensorHost).Assembly.GetName().Version!.ToString(3), info.GetProperty("version").GetString());
    }

    /// <summary>VmRSS and Threads of this (the service's) process and the machine's MemTotal, in bytes.</summary>
    private static (long Rss, int Threads, long MemTotal) ReadProc()
    {
        static long Field(string file, string key) => long.Parse(
            File.ReadLines(file).Single(l => l.StartsWith(key + ":", StringComparison.Ordinal))[(key.Length + 1)..].Trim().Split(' ')[0],
            System.Globalization.CultureInfo.InvariantCulture);
        return (Field("/proc/self/status", "VmRSS") * 1024, (int)Field("/proc/self/status", "Threads"), Field("/proc/meminfo", "MemTotal") * 1024);
    }

    /// <summary>Size and available bytes of the file system holding <paramref name="path"/>, as df reports them.</summary>
    private static async Task<(double Size, double Avail)> DfAsync(string path, CancellationToken ct)
    {
        var result = await Cli.Wrap("df").WithArguments(["-B1", "--output=size,avail", path]).ExecuteBufferedAsync(ct);
        var numbers = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => double.Parse(n, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return (numbers[0], numbers[1]);
    }
}

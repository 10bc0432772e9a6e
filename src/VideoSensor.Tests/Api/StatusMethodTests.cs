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

        var components = status.GetProperty("components");
        // A missing mediamtx binary (as on the build machines) stops streaming only: the service is degraded, not unhealthy.
        var mediamtx = components.GetProperty("mediamtx").GetProperty("status").GetString();
        Assert.Equal(mediamtx == "STOPPED" ? "DEGRADED" : "HEALTHY", status.GetProperty("status").GetString());
        foreach (var name in new[] { "websocket_server", "camera_monitor", "mediamtx", "dapr", "ffmpeg", "storage" })
        {
            Assert.True(components.TryGetProperty(name, out _), name);
        }

        Assert.Equal("HEALTHY", components.GetProperty("ffmpeg").GetProperty("status").GetString());
        Assert.True(status.GetProperty("uptime").GetDouble() > 0);
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
}

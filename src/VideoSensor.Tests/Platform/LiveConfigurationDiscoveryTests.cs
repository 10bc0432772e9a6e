using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Cameras.Discovery;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Platform;

/// <summary>
/// <c>discovery.scan_interval_seconds</c> from the Dapr configuration store: the background loop wakes and scans
/// a real RTSP server on the new interval, invalid values are refused, and <c>set_discovery_interval</c> and the
/// configuration override each other in the order they happen, also across a restart.
/// </summary>
public sealed class LiveConfigurationDiscoveryTests
{
    [Fact]
    public async Task A_scan_interval_from_the_configuration_store_starts_background_scans_at_once()
    {
        var ct = DaprTestSetup.Timeout(120);
        await using var camera = await RtspTestServer.StartAsync();
        await using var sidecar = await FakeDaprSidecar.StartAsync();
        sidecar.State.ConfigurationStore("configstore");
        using var root = new TempDirectory();
        var yaml = DaprTestSetup.DaprYaml(sidecar, $"discovery:\n  hosts: [127.0.0.1]\n  ports: [{camera.Port}]\n  paths: [/cam]\n  timeout_ms: 8000\n  scan_interval_seconds: 0\n");
        await using (var service = await TestService.StartAsync(yaml, root: root, cancellationToken: ct))
        {
            await LiveConfigurationTests.WaitForSubscriptionAsync(sidecar, ct);
            var discovery = service.Services.GetRequiredService<StreamDiscovery>();
            await using var admin = await service.ConnectAsync("admin", ct);
            Assert.False((await Rpc(admin, "get_system_status", ct)).GetProperty("discovery_active").GetBoolean());
            Assert.Null(discovery.LastScan);

            // No client asks for a scan: the loop wakes on the change and scans on the new period.
            sidecar.State.SetConfiguration("configstore", "discovery.scan_interval_seconds", "1");
            await Until.TrueAsync(() => discovery.LastScan is not null, "a background scan ran", ct);
            var first = discovery.LastScan!;
            await Until.TrueAsync(() => discovery.LastScan!.Timestamp > first.Timestamp, "a second background scan ran", ct);
            var gap = discovery.LastScan!.Timestamp - first.Timestamp;
            Assert.InRange(gap, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(30));
            Assert.Equal(1, discovery.ScanInterval);
            Assert.True((await Rpc(admin, "get_system_status", ct)).GetProperty("discovery_active").GetBoolean());
            var scan = (await admin.CallAsync("discover_external_streams", new { force_rescan = false }, ct)).EnsureSuccess().Result;
            Assert.Equal(camera.Url, scan.GetProperty("discovered_streams")[0].GetProperty("url").GetString());

            // A negative interval is refused; the 1 s interval stays.
            var rejections = service.Logs.Lines.Count(l => l.Contains("rejected", StringComparison.Ordinal));
            sidecar.State.SetConfiguration("configstore", "discovery.scan_interval_seconds", "-5");
            await Until.TrueAsync(() => service.Logs.Lines.Count(l => l.Contains("rejected", StringComparison.Ordinal)) > rejections, "the change is rejected", ct);
            Assert.Equal(1, discovery.ScanInterval);

            // RPC after the configuration: the RPC wins; a configuration change after that wins again.
            (await admin.CallAsync("set_discovery_interval", new { scan_interval = 0 }, ct)).EnsureSuccess();
            Assert.Equal(0, discovery.ScanInterval);
            Assert.False((await Rpc(admin, "get_system_status", ct)).GetProperty("discovery_active").GetBoolean());
            sidecar.State.SetConfiguration("configstore", "discovery.scan_interval_seconds", "2");
            await Until.TrueAsync(() => discovery.ScanInterval == 2, "the configured interval is in force", ct);
            Assert.True((await Rpc(admin, "get_system_status", ct)).GetProperty("discovery_active").GetBoolean());
            (await admin.CallAsync("set_discovery_interval", new { scan_interval = 600 }, ct)).EnsureSuccess();
            Assert.Equal(600, discovery.ScanInterval);
        }

        // Restart with the store unchanged: the RPC value is still the most recent change.
        await using (var service = await TestService.StartAsync(yaml, root: root, cancellationToken: ct))
        {
            await service.Services.GetRequiredService<VideoSensor.Platform.Dapr.DaprConfigurationWatcher>().FirstRead.Task.WaitAsync(ct);
            Assert.Equal(600, service.Services.GetRequiredService<StreamDiscovery>().ScanInterval);
        }
    }

    private static async Task<JsonElement> Rpc(RpcTestClient client, string method, CancellationToken ct) =>
        (await client.CallAsync(method, null, ct)).EnsureSuccess().Result;
}

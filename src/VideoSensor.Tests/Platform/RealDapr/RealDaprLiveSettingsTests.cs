using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Cameras.Discovery;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Fixtures.Dapr;

namespace VideoSensor.Tests.Platform.RealDapr;

/// <summary>
/// The two live settings with their own RPC (retention, discovery interval) written to Redis after start, through the
/// real daprd's configuration.redis component with the shipped components/: each reaches the running sensor and takes
/// effect — old recordings deleted and the policy reported by <c>get_storage_info</c>; background scans of a real RTSP
/// server on the new interval, reported by <c>get_system_status</c> and <c>discover_external_streams</c>.
/// </summary>
public sealed class RealDaprLiveSettingsTests
{
    [Fact]
    public async Task A_retention_policy_written_to_Redis_after_start_is_in_force_and_deletes_old_recordings()
    {
        var ct = DaprTestSetup.Timeout(120);
        await using var cluster = await RealDaprCluster.StartAsync(ct);
        var sidecar = cluster.Sidecar("videosensor");
        // Only a policy change can run a retention pass here: the periodic check is an hour away.
        await using var service = await TestService.StartAsync(RealDaprCluster.SensorYaml(sidecar, extra: "storage:\n  check_interval_seconds: 3600\n"), cancellationToken: ct);
        await sidecar.StartAsync(service.Port, ct);
        var store = await SubscribedStoreAsync(cluster, ct);
        await using var admin = await service.ConnectAsync("admin", ct);
        var old = Recording(service, "old.mp4", TimeSpan.FromDays(5));
        var fresh = Recording(service, "fresh.mp4", TimeSpan.FromMinutes(1));
        Assert.Equal("manual", (await PolicyAsync(admin, ct)).GetProperty("policy_type").GetString());

        await store.StringSetAsync("storage.retention", "{\"policy_type\": \"age\", \"enabled\": true, \"max_age_days\": 3}||1");

        await Until.TrueAsync(() => !File.Exists(old), "the 5-day-old recording is deleted under the 3-day policy from Redis", ct);
        var policy = await PolicyAsync(admin, ct);
        Assert.Equal(("age", true, 3.0), (policy.GetProperty("policy_type").GetString(), policy.GetProperty("enabled").GetBoolean(), policy.GetProperty("max_age_days").GetDouble()));
        Assert.True(File.Exists(fresh), "a recording younger than the policy stays");
    }

    [Fact]
    public async Task A_discovery_interval_written_to_Redis_after_start_starts_background_scans_on_that_interval()
    {
        var ct = DaprTestSetup.Timeout(120);
        await using var camera = await RtspTestServer.StartAsync();
        await using var cluster = await RealDaprCluster.StartAsync(ct);
        var sidecar = cluster.Sidecar("videosensor");
        var discoveryYaml = $"discovery:\n  hosts: [127.0.0.1]\n  ports: [{camera.Port}]\n  paths: [/cam]\n  timeout_ms: 8000\n  scan_interval_seconds: 0\n";
        await using var service = await TestService.StartAsync(RealDaprCluster.SensorYaml(sidecar, extra: discoveryYaml), cancellationToken: ct);
        await sidecar.StartAsync(service.Port, ct);
        var store = await SubscribedStoreAsync(cluster, ct);
        await using var admin = await service.ConnectAsync("admin", ct);
        var discovery = service.Services.GetRequiredService<StreamDiscovery>();
        Assert.False((await Rpc(admin, "get_system_status", null, ct)).GetProperty("discovery_active").GetBoolean());
        Assert.Null(discovery.LastScan);

        // No client asks for a scan: the value from Redis wakes the loop, which scans now and then every 2 s.
        await store.StringSetAsync("discovery.scan_interval_seconds", "2||1");

        await Until.TrueAsync(() => discovery.LastScan is not null, "a background scan ran", ct);
        var first = discovery.LastScan!;
        await Until.TrueAsync(() => discovery.LastScan!.Timestamp > first.Timestamp, "a second background scan ran", ct);
        Assert.InRange(discovery.LastScan!.Timestamp - first.Timestamp, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.True((await Rpc(admin, "get_system_status", null, ct)).GetProperty("discovery_active").GetBoolean());
        // The background scan's result, without a new scan: the real RTSP server was found.
        var scan = await Rpc(admin, "discover_external_streams", new { force_rescan = false }, ct);
        Assert.Equal(camera.Url, scan.GetProperty("discovered_streams")[0].GetProperty("url").GetString());

        // Turned off again from Redis: no more background scans.
        await store.StringSetAsync("discovery.scan_interval_seconds", "0||2");
        await Until.TrueAsync(() => discovery.ScanInterval == 0, "the interval 0 from Redis is in force", ct);
        Assert.False((await Rpc(admin, "get_system_status", null, ct)).GetProperty("discovery_active").GetBoolean());
    }

    /// <summary>The configuration database once daprd holds its keyspace subscription (changes before that would be missed).</summary>
    private static async Task<StackExchange.Redis.IDatabase> SubscribedStoreAsync(RealDaprCluster cluster, CancellationToken ct)
    {
        var db = RealDaprConfigurationTests.ConfigDb(cluster.Resources);
        await Until.TrueAsync(() => RealDaprConfigurationTests.KeyspaceSubscriptions(cluster.Redis, db) > 0, "daprd subscribes to Redis keyspace notifications", ct);
        return cluster.Redis.Db(db);
    }

    private static string Recording(TestService service, string name, TimeSpan age)
    {
        var folder = Path.Combine(service.StorageRoot, "recordings", "test0");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, new byte[1000]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    private static async Task<JsonElement> PolicyAsync(RpcTestClient admin, CancellationToken ct) =>
        (await Rpc(admin, "get_storage_info", null, ct)).GetProperty("retention_policy");

    private static async Task<JsonElement> Rpc(RpcTestClient client, string method, object? parameters, CancellationToken ct) =>
        (await client.CallAsync(method, parameters, ct)).EnsureSuccess().Result;
}

using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Platform.Dapr;
using VideoSensor.Storage;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Platform;

/// <summary>
/// <c>storage.retention</c> applied live from the Dapr configuration store and the YAML file: the policy the API
/// reports, files really deleted at once, invalid values refused, and which of a configured value and a value
/// stored by <c>set_retention_policy</c> wins (the most recent change), also across restarts.
/// </summary>
public sealed class LiveConfigurationRetentionTests
{
    // Only a policy change can run a pass during these tests: the periodic one is an hour away.
    private const string SlowChecks = "storage:\n  check_interval_seconds: 3600\n";

    [Fact]
    public async Task Configuration_store_retention_changes_are_in_force_and_enforced_at_once()
    {
        var ct = DaprTestSetup.Timeout(90);
        await using var sidecar = await FakeDaprSidecar.StartAsync();
        sidecar.State.ConfigurationStore("configstore");
        await using var service = await TestService.StartAsync(DaprTestSetup.DaprYaml(sidecar, SlowChecks), cancellationToken: ct);
        await LiveConfigurationTests.WaitForSubscriptionAsync(sidecar, ct);
        await using var admin = await service.ConnectAsync("admin", ct);
        var old = Recording(service, "old.mp4", TimeSpan.FromDays(5), 1000);
        var middle = Recording(service, "middle.mp4", TimeSpan.FromDays(2), 1000);
        var fresh = Recording(service, "fresh.mp4", TimeSpan.FromMinutes(1), 1000);
        Assert.Equal("manual", (await PolicyAsync(admin, ct)).GetProperty("policy_type").GetString());

        sidecar.State.SetConfiguration("configstore", "storage.retention", "policy_type: age\nenabled: true\nmax_age_days: 3");
        await Until.TrueAsync(() => !File.Exists(old), "the old file is deleted", ct);
        var age = await PolicyAsync(admin, ct);
        Assert.Equal(("age", true, 3.0), (age.GetProperty("policy_type").GetString(), age.GetProperty("enabled").GetBoolean(), age.GetProperty("max_age_days").GetDouble()));
        Assert.True(File.Exists(middle) && File.Exists(fresh));

        // A negative age is refused as a whole: the 3-day policy stays and nothing more is deleted.
        var rejections = Count(service, "rejected");
        sidecar.State.SetConfiguration("configstore", "storage.retention", "policy_type: age\nenabled: true\nmax_age_days: -1");
        await Until.TrueAsync(() => Count(service, "rejected") > rejections, "the change is rejected", ct);
        Assert.Contains(service.Logs.Lines, l => l.Contains("max_age_days", StringComparison.Ordinal) && l.Contains("rejected", StringComparison.Ordinal));
        Assert.Equal(3.0, (await PolicyAsync(admin, ct)).GetProperty("max_age_days").GetDouble());
        Assert.True(File.Exists(middle) && File.Exists(fresh));

        // Size: only the newest file fits under the limit, so the older one goes.
        var limitGb = 1500 / 1024.0 / 1024 / 1024;
        sidecar.State.SetConfiguration("configstore", "storage.retention", $"{{\"policy_type\": \"size\", \"enabled\": true, \"max_size_gb\": {limitGb.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}}");
        await Until.TrueAsync(() => !File.Exists(middle), "the older file is deleted", ct);
        var size = await PolicyAsync(admin, ct);
        Assert.Equal(("size", limitGb), (size.GetProperty("policy_type").GetString(), size.GetProperty("max_size_gb").GetDouble()));
        Assert.True(File.Exists(fresh));
    }

    [Fact]
    public async Task The_most_recent_of_set_retention_policy_and_a_configuration_change_wins_also_after_a_restart()
    {
        var ct = DaprTestSetup.Timeout(120);
        using var root = new TempDirectory();
        await using var sidecar = await FakeDaprSidecar.StartAsync();
        sidecar.State.ConfigurationStore("configstore");
        var yaml = DaprTestSetup.DaprYaml(sidecar, SlowChecks);
        string stored;
        await using (var service = await StartAsync(yaml, root, sidecar, ct))
        {
            stored = service.Services.GetRequiredService<RetentionStore>().PathOnDisk;
            await using var admin = await service.ConnectAsync("admin", ct);

            // RPC over the configured default, then a configuration change replaces it (and its file).
            await Rpc(admin, "set_retention_policy", new { policy_type = "age", enabled = true, max_age_days = 10 }, ct);
            Assert.Equal(10.0, (await PolicyAsync(admin, ct)).GetProperty("max_age_days").GetDouble());
            Assert.True(File.Exists(stored));
            sidecar.State.SetConfiguration("configstore", "storage.retention", "policy_type: age\nenabled: true\nmax_age_days: 4");
            await Until.TrueAsync(() => !File.Exists(stored), "the stored RPC policy is removed", ct);
            Assert.Equal(4.0, (await PolicyAsync(admin, ct)).GetProperty("max_age_days").GetDouble());

            // And an RPC after the configuration change overrides it again.
            await Rpc(admin, "set_retention_policy", new { policy_type = "size", enabled = true, max_size_gb = 7 }, ct);
            var size = await PolicyAsync(admin, ct);
            Assert.Equal(("size", 7.0), (size.GetProperty("policy_type").GetString(), size.GetProperty("max_size_gb").GetDouble()));
        }

        // Restart, configuration unchanged: the stored RPC value is still the most recent change.
        await using (var service = await StartAsync(yaml, root, sidecar, ct))
        {
            await using var admin = await service.ConnectAsync("admin", ct);
            var size = await PolicyAsync(admin, ct);
            Assert.Equal(("size", 7.0), (size.GetProperty("policy_type").GetString(), size.GetProperty("max_size_gb").GetDouble()));
        }

        // The store changed while the service was down: that change is newer than the stored RPC value.
        sidecar.State.SetConfiguration("configstore", "storage.retention", "policy_type: age\nenabled: true\nmax_age_days: 2");
        await using (var service = await StartAsync(yaml, root, sidecar, ct))
        {
            await using var admin = await service.ConnectAsync("admin", ct);
            var age = await PolicyAsync(admin, ct);
            Assert.Equal(("age", 2.0), (age.GetProperty("policy_type").GetString(), age.GetProperty("max_age_days").GetDouble()));
            Assert.False(File.Exists(stored), "the overridden RPC value is removed, so no later restart brings it back");
        }
    }

    [Fact]
    public async Task At_start_retention_waits_for_the_configuration_store_instead_of_acting_on_the_file_value()
    {
        var ct = DaprTestSetup.Timeout(60);
        using var root = new TempDirectory();
        await using var sidecar = await FakeDaprSidecar.StartAsync();
        sidecar.State.ConfigurationStore("configstore");
        sidecar.State.SetConfiguration("configstore", "storage.retention", "policy_type: age\nenabled: true\nmax_age_days: 10");

        // The files exist before the service starts; the file's 1-day policy would delete both.
        var folder = Path.Combine(root.Combine("storage"), "recordings", "test0");
        Directory.CreateDirectory(folder);
        var week = Path.Combine(folder, "week.mp4");
        var month = Path.Combine(folder, "month.mp4");
        foreach (var (path, days) in new[] { (week, 5), (month, 20) })
        {
            await File.WriteAllBytesAsync(path, new byte[100], ct);
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddDays(-days));
        }

        var yaml = DaprTestSetup.DaprYaml(sidecar, "storage:\n  check_interval_seconds: 3600\n  retention:\n    policy_type: age\n    enabled: true\n    max_age_days: 1\n");
        await using var service = await TestService.StartAsync(yaml, root: root, cancellationToken: ct);

        await Until.TrueAsync(() => !File.Exists(month), "the store's 10-day policy deleted the 20-day-old file", ct);
        Assert.True(File.Exists(week), "the 5-day-old file was deleted under the file's 1-day policy before the store was read");
        await using var admin = await service.ConnectAsync("admin", ct);
        Assert.Equal(10.0, (await PolicyAsync(admin, ct)).GetProperty("max_age_days").GetDouble());
    }

    [Fact]
    public async Task A_retention_change_in_the_config_file_is_enforced_at_once()
    {
        var ct = DaprTestSetup.Timeout(60);
        using var root = new TempDirectory();
        await using var service = await TestService.StartAsync(SlowChecks, root: root, cancellationToken: ct);
        await using var admin = await service.ConnectAsync("admin", ct);
        var old = Recording(service, "old.mp4", TimeSpan.FromDays(40), 100);
        var fresh = Recording(service, "fresh.mp4", TimeSpan.FromDays(1), 100);
        await Rpc(admin, "set_retention_policy", new { policy_type = "manual", enabled = false }, ct);

        var changed = TestService.MergeSections(service.BaseYaml(null), SlowChecks + "  retention:\n    policy_type: age\n    enabled: true\n    max_age_days: 30\n");
        await File.WriteAllTextAsync(root.Combine("config.yaml"), changed, ct);

        await Until.TrueAsync(() => !File.Exists(old), "the old file is deleted", ct);
        Assert.True(File.Exists(fresh));
        var policy = await PolicyAsync(admin, ct);
        Assert.Equal(("age", 30.0), (policy.GetProperty("policy_type").GetString(), policy.GetProperty("max_age_days").GetDouble()));
    }

    private static async Task<TestService> StartAsync(string yaml, TempDirectory root, FakeDaprSidecar sidecar, CancellationToken ct)
    {
        var service = await TestService.StartAsync(yaml, root: root, cancellationToken: ct);
        await service.Services.GetRequiredService<DaprConfigurationWatcher>().FirstRead.Task.WaitAsync(ct);
        await LiveConfigurationTests.WaitForSubscriptionAsync(sidecar, ct);
        return service;
    }

    /// <summary>A file in the recordings folder of test0, last written <paramref name="age"/> ago.</summary>
    private static string Recording(TestService service, string name, TimeSpan age, int bytes)
    {
        var folder = Path.Combine(service.StorageRoot, "recordings", "test0");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, new byte[bytes]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    private static async Task<JsonElement> PolicyAsync(RpcTestClient admin, CancellationToken ct) =>
        (await Rpc(admin, "get_storage_info", null, ct)).GetProperty("retention_policy");

    private static async Task<JsonElement> Rpc(RpcTestClient client, string method, object? parameters, CancellationToken ct) =>
        (await client.CallAsync(method, parameters, ct)).EnsureSuccess().Result;

    private static int Count(TestService service, string text) => service.Logs.Lines.Count(l => l.Contains(text, StringComparison.Ordinal));
}

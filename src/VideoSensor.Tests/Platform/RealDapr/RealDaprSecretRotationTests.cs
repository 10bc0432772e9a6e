using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Rtsp;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Fixtures.Dapr;

namespace VideoSensor.Tests.Platform.RealDapr;

/// <summary>
/// A camera password rotated under a running sensor, through the real daprd and the shipped <c>secretstores.local.file</c>
/// component: the camera opens with password A; A is replaced by B in the camera and in the secrets file; the sidecar is
/// restarted (local.file reads its file only at start) and the sensor — the same process, never restarted, with
/// <c>secret_cache_seconds</c> at its maximum (300) — opens the camera with B at its next attempt, because camera
/// credentials are asked of the store at every open, past that cache.
/// </summary>
public sealed class RealDaprSecretRotationTests
{
    private const string User = "viewer";
    private const string PasswordA = "rotation-pass-A-7f3c";
    private const string PasswordB = "rotation-pass-B-91e2";

    [Fact]
    public async Task A_camera_password_rotated_in_the_store_is_used_at_the_next_open_after_a_sidecar_restart_without_restarting_the_sensor()
    {
        var ct = DaprTestSetup.Timeout(180);
        var camera = await RtspTestServer.StartAsync(User, PasswordA);
        try
        {
            await using var cluster = await RealDaprCluster.StartAsync(ct);
            WriteSecrets(cluster.Resources, PasswordA);
            var sidecar = cluster.Sidecar("videosensor");
            // A cache that outlives the whole test: the camera must not be opened from it.
            var dapr = RealDaprCluster.SensorYaml(sidecar).TrimEnd() + "\n  secret_cache_seconds: 300\n";
            await using var service = await TestService.StartAsync(dapr + RtspFeedYaml.Cameras(camera, "door", "door-cam"), cancellationToken: ct);
            await sidecar.StartAsync(service.Port, ct);
            var registry = service.Services.GetRequiredService<CameraRegistry>();
            var feeds = service.Services.GetRequiredService<RtspFeeds>();
            await RedisStreams.WaitForAsync(cluster.Redis, "videosensor.sensor.registered", _ => true, ct, cluster.Logs);

            // Password A, read from daprd's secret store, opens the camera.
            var opened = await OpenAsync(feeds, registry, ct);
            Assert.True(opened.Status == CameraStatus.Connected, $"with password A: {opened.Status} {opened.StatusReason}\n{cluster.Logs()}");

            // Rotation: the camera now wants B, and the secrets file says B.
            await camera.StopAsync();
            camera = await RtspTestServer.StartAsync(User, PasswordB, port: camera.Port);
            WriteSecrets(cluster.Resources, PasswordB);

            // daprd still serves A (local.file read its file once, at start): the camera refuses the sensor.
            var refused = await OpenAsync(feeds, registry, ct);
            Assert.True(refused.Status != CameraStatus.Connected, "the camera accepted the old password: the rotation test proves nothing");

            // Only the sidecar restarts; the sensor is the same running instance.
            var sensorBefore = service.Services;
            var registrations = (await RedisStreams.CloudEventsAsync(cluster.Redis, "videosensor.sensor.registered")).Count;
            await sidecar.StopAsync();
            await sidecar.StartAgainAsync(ct);
            // The sensor has seen its sidecar again when it registers again; the next open is the first after the rotation.
            while ((await RedisStreams.CloudEventsAsync(cluster.Redis, "videosensor.sensor.registered")).Count <= registrations)
            {
                await Task.Delay(100, ct);
            }

            var reopened = await OpenAsync(feeds, registry, ct);

            Assert.Same(sensorBefore, service.Services);
            Assert.True(reopened.Status == CameraStatus.Connected, $"with password B after the sidecar restart: {reopened.Status} {reopened.StatusReason}\n{cluster.Logs()}");
            // No password in the sensor's log, in either form.
            Assert.DoesNotContain(service.Logs.Lines, l => l.Contains(PasswordA, StringComparison.Ordinal) || l.Contains(PasswordB, StringComparison.Ordinal));
        }
        finally
        {
            await camera.DisposeAsync();
        }
    }

    /// <summary>The camera opened now (a probe, as the <c>rescan</c> command does) and the state the sensor gives it.</summary>
    private static async Task<Camera> OpenAsync(RtspFeeds feeds, CameraRegistry registry, CancellationToken ct)
    {
        await feeds.RescanAsync("door", ct);
        Assert.True(registry.TryGet("door", out var camera));
        return camera;
    }

    /// <summary>The shipped example secrets with door-cam's password set (the file daprd's local.file component reads).</summary>
    private static void WriteSecrets(DaprResources resources, string password)
    {
        var secrets = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(File.ReadAllText(Path.Combine(DaprResources.RepositoryRoot, "components", "dev-secrets.example.json")))!;
        secrets["door-cam"] = new() { ["username"] = User, ["password"] = password };
        File.WriteAllText(resources.SecretsFile, JsonSerializer.Serialize(secrets));
    }
}

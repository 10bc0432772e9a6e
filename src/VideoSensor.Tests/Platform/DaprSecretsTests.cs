using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Rtsp;
using VideoSensor.Secrets;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Platform;

/// <summary>RTSP credentials come from the Dapr secret store, are used for real, rotate without a restart, and never reach a log.</summary>
public sealed class DaprSecretsTests
{
    private const string User = "door-viewer";
    private const string Password = "Pa55-secret-d00r";
    private const string Rotated = "Rotated-w0rd-99";

    [Fact]
    public async Task RTSP_credentials_from_the_secret_store_open_the_camera_rotate_live_and_are_never_logged()
    {
        var ct = DaprTestSetup.Timeout(90);
        await using var camera = await RtspTestServer.StartAsync(User, Password);
        await using var sidecar = await FakeDaprSidecar.StartAsync();
        var store = sidecar.State.SecretStore("secretstore");
        store["door-cam"] = new Dictionary<string, string> { ["username"] = User, ["password"] = Password };
        var yaml = DaprTestSetup.DaprYaml(sidecar) + $"""

            cameras:
              rtsp_probe_interval_seconds: 3600
              rtsp:
                - id: door
                  url: {camera.Url}
                  username:
                    secret: door-cam
                    key: username
                  password:
                    secret: door-cam
                    key: password
            """;
        await using var service = await TestService.StartAsync(yaml, cancellationToken: ct);
        var chosen = Assert.IsType<VideoSensor.Cameras.Rtsp.SourceCredentialSecretSource>(service.Services.GetRequiredService<ISecretSource>());
        Assert.IsType<VideoSensor.Platform.Dapr.DaprSecretSource>(chosen.Inner);
        var registry = service.Services.GetRequiredService<CameraRegistry>();
        var feeds = service.Services.GetRequiredService<RtspFeeds>();

        var door = await CameraWait.UntilAsync(registry, "door", c => c?.Status is CameraStatus.Connected or CameraStatus.Error, ct);
        Assert.True(door!.Status == CameraStatus.Connected, $"the feed should open with the store's credentials: {door.StatusReason}");
        Assert.Contains(sidecar.State.SecretRequests, r => r.StoreName == "secretstore" && r.Key == "door-cam");

        // Rotation: the store now holds a password the camera refuses; the next probe uses it (no restart).
        store["door-cam"] = new Dictionary<string, string> { ["username"] = User, ["password"] = Rotated };
        await feeds.RescanAsync("door", ct);
        Assert.Equal(CameraStatus.Error, registry.TryGet("door", out var refused) ? refused.Status : CameraStatus.Disconnected);

        store["door-cam"] = new Dictionary<string, string> { ["username"] = User, ["password"] = Password };
        await feeds.RescanAsync("door", ct);
        Assert.Equal(CameraStatus.Connected, registry.TryGet("door", out var back) ? back.Status : CameraStatus.Disconnected);

        using var http = await service.HttpAsync("viewer");
        var inventory = await http.GetStringAsync("/api/v1/cameras", ct);
        Assert.Contains("\"door\"", inventory, StringComparison.Ordinal);
        await service.StopAsync();
        foreach (var secret in new[] { Password, Rotated })
        {
            Assert.DoesNotContain(secret, inventory, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, service.Logs.All, StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(secret), service.Logs.All, StringComparison.Ordinal);
        }

        Assert.True(service.Logs.Lines.Count > 10, "the service logged (at Debug) while the test ran");
    }

    [Fact]
    public async Task A_missing_secret_leaves_the_feed_in_error_with_a_reason_and_no_value_in_it()
    {
        var ct = DaprTestSetup.Timeout(60);
        await using var camera = await RtspTestServer.StartAsync(User, Password);
        await using var sidecar = await FakeDaprSidecar.StartAsync();
        sidecar.State.SecretStore("secretstore")["other"] = new Dictionary<string, string> { ["x"] = "unrelated-value" };
        var yaml = DaprTestSetup.DaprYaml(sidecar) + $"""

            cameras:
              rtsp_probe_interval_seconds: 1
              rtsp:
                - id: gate
                  url: {camera.Url}
                  username:
                    secret: gate-cam
                    key: username
                  password:
                    secret: gate-cam
                    key: password
            """;
        await using var service = await TestService.StartAsync(yaml, cancellationToken: ct);
        var registry = service.Services.GetRequiredService<CameraRegistry>();
        // Under load a first call may time out (sidecar "not reachable"); the store's own answer comes on a later probe.
        var gate = await CameraWait.UntilAsync(registry, "gate", c => c?.Status == CameraStatus.Error && c.StatusReason?.Contains("not reachable", StringComparison.Ordinal) != true, ct);
        Assert.NotNull(gate!.StatusReason);
        Assert.Contains(service.Logs.Lines, l => l.Contains("gate-cam/username", StringComparison.Ordinal) && l.Contains("secretstore", StringComparison.Ordinal));
    }
}

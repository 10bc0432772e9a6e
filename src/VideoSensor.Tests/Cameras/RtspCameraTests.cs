using System.Text.Json;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Cameras;

/// <summary>A real IP camera (GStreamer RTSP server with basic auth), credentials from the secret source.</summary>
public sealed class RtspCameraTests
{
    private const string Password = "s3cret-Pa55word";

    private static string Config(RtspTestServer camera, string secretsFile) => $$"""
        cameras:
          rtsp_probe_interval_seconds: 1
          rtsp:
            - id: door
              name: Front door
              url: {{camera.Url}}
              username: { secret: door-cam, key: username }
              password: { secret: door-cam, key: password }
        secrets:
          file: {{secretsFile}}
        """;

    private static async Task<string> SecretsFileAsync(TempDirectory dir, string password)
    {
        var path = dir.Combine("secrets.yaml");
        await File.WriteAllTextAsync(path, $"door-cam:\n  username: viewer\n  password: {password}\n");
        return path;
    }

    [Fact]
    public async Task Rtsp_camera_with_basic_auth_connects_and_snapshots_without_leaking_credentials()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var camera = await RtspTestServer.StartAsync("viewer", Password, keyInt: 5);
        using var dir = new TempDirectory();
        var secrets = await SecretsFileAsync(dir, Password);
        await using var service = await TestService.StartAsync(Config(camera, secrets), cancellationToken: ct);
        await using var client = await service.ConnectAsync("operator", ct);

        var connected = await WaitForStatusAsync(client, "door", "CONNECTED");
        Assert.Equal("640x360", connected.GetProperty("resolution").GetString());
        Assert.Equal(15, connected.GetProperty("fps").GetInt32());

        var snapshot = (await client.CallAsync("take_snapshot", new { device = "door" }, ct)).EnsureSuccess();
        var path = snapshot.Result.GetProperty("file_path").GetString()!;
        var probed = await Ffprobe.ProbeAsync(path, ct);
        Assert.Equal((640, 360), (probed.Width, probed.Height));
        Assert.Equal(new FileInfo(path).Length, snapshot.Result.GetProperty("file_size").GetInt64());

        var list = (await client.CallAsync("get_camera_list", cancellationToken: ct)).EnsureSuccess();
        var status = (await client.CallAsync("get_camera_status", new { device = "door" }, ct)).EnsureSuccess();
        foreach (var text in new[] { list.ToString(), status.ToString(), snapshot.ToString(), service.Logs.All })
        {
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
            Assert.DoesNotContain("viewer:", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Wrong_credentials_make_an_error_camera_with_a_reason_and_no_secret()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var camera = await RtspTestServer.StartAsync("viewer", Password, keyInt: 5);
        using var dir = new TempDirectory();
        var secrets = await SecretsFileAsync(dir, "wrong-password-123");
        await using var service = await TestService.StartAsync(Config(camera, secrets), cancellationToken: ct);
        await using var client = await service.ConnectAsync("operator", ct);

        var failed = await WaitForStatusAsync(client, "door", "ERROR");

        var status = (await client.CallAsync("get_camera_status", new { device = "door" }, ct)).EnsureSuccess().Result;
        Assert.Contains("401", status.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var snapshot = await client.CallAsync("take_snapshot", new { device = "door" }, ct);
        Assert.Equal(-32020, snapshot.ErrorCode);
        Assert.DoesNotContain("wrong-password-123", service.Logs.All + failed + status + snapshot, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_camera_that_drops_out_goes_to_error_and_comes_back()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var camera = await RtspTestServer.StartAsync("viewer", Password, keyInt: 5);
        using var dir = new TempDirectory();
        var secrets = await SecretsFileAsync(dir, Password);
        await using var service = await TestService.StartAsync(Config(camera, secrets), cancellationToken: ct);
        await using var client = await service.ConnectAsync("viewer", ct);
        await WaitForStatusAsync(client, "door", "CONNECTED");

        await camera.StopAsync();
        await WaitForStatusAsync(client, "door", "ERROR");
        await camera.StartAsync();
        await WaitForStatusAsync(client, "door", "CONNECTED");
    }

    /// <summary>Waits for the camera_status_update that reports this status (or finds it already there).</summary>
    private static async Task<JsonElement> WaitForStatusAsync(RpcTestClient client, string device, string status)
    {
        var current = (await client.CallAsync("get_camera_status", new { device })).EnsureSuccess().Result;
        if (current.GetProperty("status").GetString() == status)
        {
            return current;
        }

        return await client.NextNotificationAsync("camera_status_update", TimeSpan.FromSeconds(30),
            p => p.GetProperty("device").GetString() == device && p.GetProperty("status").GetString() == status);
    }
}

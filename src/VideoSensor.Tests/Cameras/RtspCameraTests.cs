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

    /// <summary>The GStreamer camera with basic auth, and a service whose secrets file holds <paramref name="password"/> for it.</summary>
    private sealed class Door : IAsyncDisposable
    {
        private readonly TempDirectory _dir = new();

        public RtspTestServer Camera { get; private set; } = null!;
        public TestService Service { get; private set; } = null!;
        public RpcTestClient Client { get; private set; } = null!;

        public static async Task<Door> StartAsync(string password, string role, CancellationToken ct)
        {
            var door = new Door();
            try
            {
                door.Camera = await RtspTestServer.StartAsync("viewer", Password, keyInt: 5);
                var secrets = door._dir.Combine("secrets.yaml");
                await File.WriteAllTextAsync(secrets, $"door-cam:\n  username: viewer\n  password: {password}\n", ct);
                door.Service = await TestService.StartAsync(Config(door.Camera, secrets), cancellationToken: ct);
                door.Client = await door.Service.ConnectAsync(role, ct);
                return door;
            }
            catch
            {
                await door.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            // Whatever was started, stopped in reverse order (a failed start leaves the later ones null).
            if (Client is not null)
            {
                await Client.DisposeAsync();
            }

            if (Service is not null)
            {
                await Service.DisposeAsync();
            }

            if (Camera is not null)
            {
                await Camera.DisposeAsync();
            }

            _dir.Dispose();
        }
    }

    [Fact]
    public async Task Rtsp_camera_with_basic_auth_connects_and_snapshots_without_leaking_credentials()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var door = await Door.StartAsync(Password, "operator", ct);
        var (service, client) = (door.Service, door.Client);

        var connected = await WaitForStatusAsync(client, "door", "CONNECTED");
        Assert.Equal("640x360", connected.GetProperty("resolution").GetString());
        Assert.Equal(15, connected.GetProperty("fps").GetInt32());

        var snapshot = (await client.CallAsync("take_snapshot", new { device = "door" }, ct)).EnsureSuccess();
        var path = Path.Combine(service.StorageRoot, snapshot.Result.GetProperty("file_path").GetString()!);
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
        await using var door = await Door.StartAsync("wrong-password-123", "operator", ct);
        var (service, client) = (door.Service, door.Client);

        var failed = await WaitForStatusAsync(client, "door", "ERROR");

        var status = (await client.CallAsync("get_camera_status", new { device = "door" }, ct)).EnsureSuccess().Result;
        Assert.Contains("401", status.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var snapshot = await client.CallAsync("take_snapshot", new { device = "door" }, ct);
        Assert.Equal(-32020, snapshot.ErrorCode);
        Assert.Contains("401", snapshot.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-123", service.Logs.All + failed + status + snapshot, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_camera_that_drops_out_goes_to_error_and_comes_back()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var door = await Door.StartAsync(Password, "viewer", ct);
        var (camera, client) = (door.Camera, door.Client);
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

using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Recording;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Recording;

/// <summary>A service recording a real GStreamer RTSP camera (short GOP), with an operator client subscribed to recording events.</summary>
internal sealed class RecordingFixture : IAsyncDisposable
{
    private RecordingFixture(RtspTestServer camera, TestService service, RpcTestClient client)
    {
        Camera = camera;
        Service = service;
        Client = client;
    }

    public const string Device = "cam";
    public RtspTestServer Camera { get; }
    public TestService Service { get; }
    public RpcTestClient Client { get; }
    public RecordingManager Recordings => Service.Services.GetRequiredService<RecordingManager>();

    public static string Yaml(RtspTestServer camera, string extra = "") => RtspFeedYaml.Cameras(camera, Device) + "\n" + $$"""
        recording:
          segment_seconds: 2
          progress_interval_seconds: 1
          restart_max_backoff_seconds: 2
        {{extra}}
        """;

    public static async Task<RecordingFixture> StartAsync(string extra = "", string role = "admin")
    {
        var ct = TestContext.Current.CancellationToken;
        var camera = await RtspTestServer.StartAsync(keyInt: 5);
        try
        {
            var service = await TestService.StartAsync(Yaml(camera, extra), cancellationToken: ct);
            var client = await service.ConnectAsync(role, ct);
            (await client.CallAsync("subscribe_events", new { topics = new[] { "recording.start", "recording.progress", "recording.stop", "recording.error", "storage.low_space" } }, ct)).EnsureSuccess();
            var fixture = new RecordingFixture(camera, service, client);
            await fixture.WaitForCameraAsync();
            return fixture;
        }
        catch
        {
            await camera.DisposeAsync();
            throw;
        }
    }

    public async Task<JsonElement> CallAsync(string method, object? parameters = null) =>
        (await Client.CallAsync(method, parameters, TestContext.Current.CancellationToken, TimeSpan.FromSeconds(40))).EnsureSuccess().Result;

    public async Task<JsonElement> NextAsync(string method, Func<JsonElement, bool>? where = null, int seconds = 30)
    {
        try
        {
            return await Client.NextNotificationAsync(method, TimeSpan.FromSeconds(seconds), where);
        }
        catch (OperationCanceledException)
        {
            // Say what the service was doing: a missing event is otherwise a bare timeout.
            throw new TimeoutException($"no {method} within {seconds} s; service log:\n{string.Join('\n', Service.Logs.Lines.Where(l => l.Contains("VideoSensor", StringComparison.Ordinal)).TakeLast(30))}");
        }
    }

    /// <summary>Every segment of the camera's folder, complete ones only, each checked with ffprobe.</summary>
    public async Task<List<(string Name, double Duration)>> ProbeAllAsync()
    {
        var listed = await CallAsync("list_recordings", new { device = Device, limit = 1000 });
        var result = new List<(string, double)>();
        foreach (var file in listed.GetProperty("files").EnumerateArray())
        {
            var name = file.GetProperty("filename").GetString()!;
            var probed = await Ffprobe.ProbeAsync(Path.Combine(Service.StorageRoot, "recordings", Device, name), TestContext.Current.CancellationToken);
            Assert.Equal("h264", probed.Codec);
            Assert.True(probed.Duration > 0, $"{name} has no playable media");
            Assert.Equal(probed.Duration!.Value, file.GetProperty("duration").GetDouble(), 2);
            result.Add((name, probed.Duration.Value));
        }

        return result;
    }

    private async Task WaitForCameraAsync()
    {
        var current = await CallAsync("get_camera_status", new { device = Device });
        if (current.GetProperty("status").GetString() != "CONNECTED")
        {
            try
            {
                await Client.NextNotificationAsync("camera_status_update", TimeSpan.FromSeconds(30),
                    p => p.GetProperty("device").GetString() == Device && p.GetProperty("status").GetString() == "CONNECTED");
            }
            catch (OperationCanceledException)
            {
                // Say why the camera did not connect: a bare timeout hides the probe's own words.
                throw new TimeoutException($"camera {Device} not CONNECTED within 30 s; service log:\n{string.Join('\n', Service.Logs.Lines.Where(l => l.Contains("VideoSensor", StringComparison.Ordinal)).TakeLast(30))}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Service.DisposeAsync();
        await Camera.DisposeAsync();
    }
}

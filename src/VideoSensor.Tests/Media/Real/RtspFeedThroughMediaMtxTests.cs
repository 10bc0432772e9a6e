using System.Diagnostics;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Media.Real;

/// <summary>RTSP feeds that the real MediaMTX pulls: credentials from the secret store, readiness that tells the truth.</summary>
public sealed class RtspFeedThroughMediaMtxTests
{
    private const string Password = "s3cret-door-pass";

    [Fact]
    public async Task Feed_with_secret_credentials_is_pulled_by_MediaMTX_and_read_by_a_client()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var camera = await RtspTestServer.StartAsync("viewer", Password, keyInt: 5);
        using var dir = new TempDirectory();
        var secrets = dir.Combine("secrets.yaml");
        await File.WriteAllTextAsync(secrets, $"door-cam:\n  username: viewer\n  password: {Password}\n", ct);
        await using var plane = await RealDataPlane.StartAsync($"""
            cameras:
              rtsp_probe_interval_seconds: 600
              rtsp:
                - id: door
                  url: {camera.Url}
                  transport: tcp
                  username: {"{"} secret: door-cam, key: username {"}"}
                  password: {"{"} secret: door-cam, key: password {"}"}
            secrets:
              file: {secrets}
            """, ["door"], ct);
        await using var client = await plane.Service.ConnectAsync("viewer", ct);
        var token = await plane.Service.TokenAsync("viewer");

        var read = await FrameReader.ReadAsync(plane.Rtsp("door", "?token=" + token), frames: 10, TimeSpan.FromSeconds(30), ct);
        await plane.WaitForAvailableAsync("door", TimeSpan.FromSeconds(20), ct);
        var url = (await client.CallAsync("get_stream_url", new { device = "door" }, ct)).EnsureSuccess().Result;

        Assert.True(read.Frames == 10, $"decoded {read.Frames} frames: {read.Error}");
        Assert.True(url.GetProperty("available").GetBoolean(), url.ToString());
        Assert.DoesNotContain(Password, plane.Service.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, url.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dead_feed_is_reported_not_ready_although_MediaMTX_calls_its_path_online()
    {
        var ct = TestContext.Current.CancellationToken;
        var deadPort = FreePort.Next();
        await using var plane = await RealDataPlane.StartAsync($"""
            cameras:
              rtsp_probe_interval_seconds: 1
              rtsp:
                - id: dead
                  url: rtsp://127.0.0.1:{deadPort}/cam
                  transport: tcp
            """, ["dead"], ct);
        await using var client = await plane.Service.ConnectAsync("viewer", ct);
        var raw = await plane.Api.GetPathAsync("dead", ct);

        var url = (await client.CallAsync("get_stream_url", new { device = "dead" }, ct)).EnsureSuccess().Result;
        var streams = (await client.CallAsync("get_streams", cancellationToken: ct)).EnsureSuccess().Result;
        var status = await WaitForCameraReasonAsync(client, "dead", ct);

        Assert.True(raw!.Online, "real MediaMTX reports a static source online even when it cannot be reached");
        Assert.False(url.GetProperty("available").GetBoolean(), url.ToString());
        Assert.NotEqual("READY", url.GetProperty("stream_status").GetString());
        var item = Assert.Single(streams.GetProperty("streams").EnumerateArray(), s => s.GetProperty("name").GetString() == "dead");
        Assert.False(item.GetProperty("ready").GetBoolean());
        Assert.Equal(0, streams.GetProperty("active").GetInt32());
        // The probe read the camera itself (MediaMTX's copy is not ready), so the reason is the camera's own.
        Assert.True(status.Contains("refused", StringComparison.OrdinalIgnoreCase), status);
    }

    private static async Task<string> WaitForCameraReasonAsync(RpcTestClient client, string device, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var status = (await client.CallAsync("get_camera_status", new { device }, ct)).EnsureSuccess().Result;
            var reason = status.TryGetProperty("reason", out var r) ? r.GetString() : null;
            // "not probed yet" is the reason a feed has before its first probe: on a loaded machine the test can ask
            // before that probe ran, and the assertion is about the probe's own finding.
            if ((!string.IsNullOrEmpty(reason) && reason != "not probed yet") || watch.Elapsed > TimeSpan.FromSeconds(30))
            {
                return status.ToString();
            }

            await Task.Delay(200, ct);
        }
    }
}

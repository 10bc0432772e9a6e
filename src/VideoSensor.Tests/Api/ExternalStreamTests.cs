using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Api;

/// <summary>Streams added at run time and discovery, against a real RTSP server.</summary>
public sealed class ExternalStreamTests
{
    [Fact]
    public async Task An_added_stream_becomes_a_probed_camera_survives_a_restart_and_can_be_removed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var camera = await RtspTestServer.StartAsync(keyInt: 5);
        using var root = new TempDirectory();
        const string yaml = "cameras:\n  rtsp_probe_interval_seconds: 1\n";
        await using (var service = await TestService.StartAsync(yaml, root: root, cancellationToken: ct))
        {
            await using var client = await service.ConnectAsync("operator", ct);
            var added = (await client.CallAsync("add_external_stream", new { stream_url = camera.Url, stream_name = "yard" }, ct)).EnsureSuccess().Result;
            Assert.Equal("ADDED", added.GetProperty("status").GetString());

            var connected = await client.NextNotificationAsync("camera_status_update", TimeSpan.FromSeconds(20),
                p => p.GetProperty("device").GetString() == "yard" && p.GetProperty("status").GetString() == "CONNECTED");
            Assert.Equal("640x360", connected.GetProperty("resolution").GetString());

            var duplicate = await client.CallAsync("add_external_stream", new { stream_url = camera.Url, stream_name = "yard2" }, ct);
            Assert.Equal(-32020, duplicate.ErrorCode);
        }

        await using (var service = await TestService.StartAsync(yaml, root: root, cancellationToken: ct))
        {
            await using var client = await service.ConnectAsync("operator", ct);
            var list = (await client.CallAsync("get_external_streams", cancellationToken: ct)).EnsureSuccess().Result;
            var stream = Assert.Single(list.GetProperty("external_streams").EnumerateArray());
            Assert.Equal(camera.Url, stream.GetProperty("stream_url").GetString());

            var removed = (await client.CallAsync("remove_external_stream", new { stream_url = camera.Url }, ct)).EnsureSuccess().Result;
            Assert.Equal("REMOVED", removed.GetProperty("status").GetString());
            Assert.Equal(-32010, (await client.CallAsync("get_camera_status", new { device = "yard" }, ct)).ErrorCode);
            Assert.Equal(-32010, (await client.CallAsync("remove_external_stream", new { stream_url = camera.Url }, ct)).ErrorCode);
        }
    }

    [Theory]
    [InlineData("http://example.com/x", "yard", "stream_url")]
    [InlineData("rtsp://admin:pw@10.1.1.1/x", "yard", "stream_url")]
    [InlineData("rtsp://10.1.1.1/x", "../yard", "stream_name")]
    public async Task Bad_streams_are_refused_without_echoing_credentials(string url, string name, string param)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(cancellationToken: ct);
        await using var client = await service.ConnectAsync("operator", ct);

        var response = await client.CallAsync("add_external_stream", new { stream_url = url, stream_name = name }, ct);

        Assert.Equal(-32602, response.ErrorCode);
        Assert.Equal(param, response.ErrorData.GetProperty("param").GetString());
        Assert.DoesNotContain("pw@", response.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_finds_the_real_stream_and_says_it_needs_credentials()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var open = await RtspTestServer.StartAsync(keyInt: 5);
        await using var locked = await RtspTestServer.StartAsync("u", "p4ssword", keyInt: 5);
        var closedPort = FreePort.Next();
        var yaml = $"discovery:\n  hosts: [127.0.0.1]\n  ports: [{open.Port}, {locked.Port}, {closedPort}]\n  paths: [/cam, /nothing-here]\n  timeout_ms: 8000\n";
        await using var service = await TestService.StartAsync(yaml, cancellationToken: ct);
        await using var client = await service.ConnectAsync("operator", ct);

        var scan = (await client.CallAsync("discover_external_streams", new { force_rescan = true }, ct)).EnsureSuccess().Result;

        var found = scan.GetProperty("discovered_streams").EnumerateArray()
            .ToDictionary(s => s.GetProperty("url").GetString()!, s => s.GetProperty("status").GetString());
        Assert.Equal(2, scan.GetProperty("total_found").GetInt32());
        Assert.Equal("available", found[open.Url]);
        Assert.Equal("auth_required", found[locked.Url]);
        Assert.True(scan.GetProperty("scan_duration").GetDouble() > 0);
    }

    [Fact]
    public async Task Discovery_interval_is_validated_and_persisted()
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory();
        await using (var service = await TestService.StartAsync(root: root, cancellationToken: ct))
        {
            await using var admin = await service.ConnectAsync("admin", ct);
            Assert.Equal(-32602, (await admin.CallAsync("set_discovery_interval", new { scan_interval = -1 }, ct)).ErrorCode);
            var set = (await admin.CallAsync("set_discovery_interval", new { scan_interval = 120 }, ct)).EnsureSuccess().Result;
            Assert.Equal(120, set.GetProperty("scan_interval").GetInt32());
            await using var operatorClient = await service.ConnectAsync("operator", ct);
            Assert.Equal(-32002, (await operatorClient.CallAsync("set_discovery_interval", new { scan_interval = 5 }, ct)).ErrorCode);
        }

        await using (var service = await TestService.StartAsync(root: root, cancellationToken: ct))
        {
            var discovery = (VideoSensor.Cameras.Discovery.StreamDiscovery)service.Services.GetService(typeof(VideoSensor.Cameras.Discovery.StreamDiscovery))!;
            Assert.Equal(120, discovery.ScanInterval);
        }
    }
}

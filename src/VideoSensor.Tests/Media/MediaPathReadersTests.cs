using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VideoSensor.Media;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Media.Contract;

namespace VideoSensor.Tests.Media;

/// <summary>
/// Recordings and snapshots while MediaMTX runs: they activate the camera's stream on demand, read it from
/// the MediaMTX path with the internal credential (authorised through the service's own callback), hold it
/// while they read, and the idle ingest stops after <c>auto_close_after</c>. The API is the contract double;
/// the RTSP side is the relay stand-in, with real ffmpeg publishing and reading.
/// </summary>
public sealed class MediaPathReadersTests
{
    /// <summary>An allowed auth of one of the service's own children: a short-lived credential, never the long-lived internal one.</summary>
    private static bool Own(RelayAuth auth, string action, string path) =>
        auth.Action == action && auth.Path == path && auth.Allowed && auth.User.StartsWith(VideoSensor.Security.ShortLivedCredentials.UserPrefix, StringComparison.Ordinal);

    /// <summary>How many distinct short-lived credentials were used for <paramref name="action"/> on <paramref name="path"/>.</summary>
    private static int OwnCredentials(RtspRelay relay, string action, string path) =>
        relay.Auths.Where(a => Own(a, action, path)).Select(a => a.User).Distinct().Count();

    private static async Task<(TestService Service, RtspRelay Relay)> StartAsync(MediaMtxDouble mtx, int autoCloseAfter, CancellationToken ct)
    {
        var service = await TestService.StartAsync(ExternalMediaMtx.Yaml(mtx, autoCloseAfter: autoCloseAfter) + """

            recording:
              segment_seconds: 2
            """, cancellationToken: ct);
        try
        {
            await ExternalMediaMtx.WaitUntilRunningAsync(service.Services.GetRequiredService<MediaMtxState>(), TimeSpan.FromSeconds(30));
            var rtspPort = service.Services.GetRequiredService<IOptions<MediaOptions>>().Value.RtspPort;
            return (service, RtspRelayFactory.For(service, mtx, rtspPort));
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task Snapshot_activates_the_stream_reads_it_from_MediaMTX_and_the_idle_ingest_stops()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var mtx = new MediaMtxDouble();
        var (service, relay) = await StartAsync(mtx, autoCloseAfter: 2, ct);
        await using var _ = service;
        await using var __ = relay;
        await using var client = await service.ConnectAsync("operator", ct);

        var snapshot = (await client.CallAsync("take_snapshot", new { device = "test0" }, ct, TimeSpan.FromSeconds(60))).EnsureSuccess().Result;
        var publishedAfterSnapshot = relay.IsPublished("test0");
        var probed = await ProbeAsync(service, snapshot, ct);
        await relay.WaitUntilAsync(r => !r.IsPublished("test0"), TimeSpan.FromSeconds(30));
        var status = (await client.CallAsync("get_stream_status", new { device = "test0" }, ct)).EnsureSuccess().Result;

        Assert.Equal("mediamtx", snapshot.GetProperty("source").GetString());
        Assert.Equal(("mjpeg", 640, 360), probed);
        Assert.Equal(snapshot.GetProperty("file_size").GetInt64(), new FileInfo(Path.Combine(service.StorageRoot, snapshot.GetProperty("file_path").GetString()!)).Length);
        Assert.True(publishedAfterSnapshot, "the ingest stopped the moment the snapshot released it, before auto_close_after");
        var auths = relay.Auths.ToList();
        Assert.Contains(auths, a => Own(a, "publish", "test0"));
        Assert.Contains(auths, a => Own(a, "read", "test0"));
        Assert.DoesNotContain(auths, a => a.User == "videosensor-internal");
        Assert.Equal("INACTIVE", status.GetProperty("status").GetString());
        Assert.Contains(service.Logs.Lines, l => l.Contains("had no readers for 2 s", StringComparison.Ordinal));
        Assert.Empty(mtx.Violations);
    }

    [Fact]
    public async Task Recording_holds_the_stream_past_auto_close_and_copies_the_published_H264()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var mtx = new MediaMtxDouble();
        var (service, relay) = await StartAsync(mtx, autoCloseAfter: 1, ct);
        await using var _ = service;
        await using var __ = relay;
        await using var client = await service.ConnectAsync("operator", ct);
        (await client.CallAsync("subscribe_events", new { topics = new[] { "recording.progress" } }, ct)).EnsureSuccess();

        (await client.CallAsync("start_recording", new { device = "test0" }, ct, TimeSpan.FromSeconds(60))).EnsureSuccess();
        // Several auto_close_after periods with no outside reader: only the recording's hold keeps the ingest.
        await client.NextNotificationAsync("recording.progress", TimeSpan.FromSeconds(40), p => p.GetProperty("duration").GetDouble() >= 5);
        var publishedWhileRecording = relay.IsPublished("test0");
        var readersWhileRecording = relay.Readers("test0");
        var stopped = (await client.CallAsync("stop_recording", new { device = "test0" }, ct, TimeSpan.FromSeconds(40))).EnsureSuccess().Result;
        await relay.WaitUntilAsync(r => !r.IsPublished("test0"), TimeSpan.FromSeconds(30));

        Assert.True(publishedWhileRecording);
        Assert.Equal(1, readersWhileRecording);
        Assert.Contains(relay.Auths, a => Own(a, "read", "test0"));
        var segments = Directory.GetFiles(Path.Combine(service.StorageRoot, "recordings", "test0"));
        Assert.NotEmpty(segments);
        var total = 0.0;
        foreach (var segment in segments)
        {
            var media = await Ffprobe.ProbeAsync(segment, ct);
            Assert.Equal(("h264", 640, 360, 0), (media.Codec, media.Width, media.Height, media.HasBFrames ?? -1));
            total += media.Duration ?? 0;
        }

        Assert.InRange(total, 3, 60);
        Assert.InRange(stopped.GetProperty("duration").GetDouble(), 3, 60);
        Assert.DoesNotContain(service.Logs.Lines, l => l.Contains("from its own source", StringComparison.Ordinal));
        Assert.Empty(mtx.Violations);
    }

    [Fact]
    public async Task An_RTSP_feed_is_snapshotted_and_recorded_from_the_path_MediaMTX_pulls()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var camera = await RtspTestServer.StartAsync(keyInt: 5);
        await using var mtx = new MediaMtxDouble();
        await using var service = await TestService.StartAsync(ExternalMediaMtx.Yaml(mtx) + "\n" + Recording.RecordingFixture.Yaml(camera), cancellationToken: ct);
        await ExternalMediaMtx.WaitUntilRunningAsync(service.Services.GetRequiredService<MediaMtxState>(), TimeSpan.FromSeconds(30));
        await mtx.WaitForPathsAsync(["cam", "test0"], TimeSpan.FromSeconds(30));
        await Platform.CameraWait.UntilAsync(service.Services.GetRequiredService<VideoSensor.Cameras.CameraRegistry>(), "cam",
            c => c?.Status == VideoSensor.Cameras.CameraStatus.Connected, ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        await using var relay = RtspRelayFactory.For(service, mtx, service.Services.GetRequiredService<IOptions<MediaOptions>>().Value.RtspPort);
        relay.PullConfiguredSource("cam");
        await relay.WaitUntilAsync(r => r.IsPublished("cam"), TimeSpan.FromSeconds(30));
        await using var client = await service.ConnectAsync("operator", ct);

        var snapshot = (await client.CallAsync("take_snapshot", new { device = "cam" }, ct, TimeSpan.FromSeconds(60))).EnsureSuccess().Result;
        (await client.CallAsync("start_recording", new { device = "cam", duration = 3 }, ct, TimeSpan.FromSeconds(60))).EnsureSuccess();
        var readersWhileRecording = relay.Readers("cam");
        await client.NextNotificationAsync("recording_status_update", TimeSpan.FromSeconds(40), n => n.GetProperty("status").GetString() == "STOPPED");

        Assert.Equal("mediamtx", snapshot.GetProperty("source").GetString());
        Assert.Equal(("mjpeg", 640, 360), await ProbeAsync(service, snapshot, ct));
        Assert.Equal(1, readersWhileRecording);
        // The snapshot and the recorder each read with a credential of their own (a reader that restarts, as a
        // recorder may when the machine is loaded, is issued another; never do two readers share one).
        Assert.InRange(OwnCredentials(relay, "read", "cam"), 2, int.MaxValue);
        var segments = Directory.GetFiles(Path.Combine(service.StorageRoot, "recordings", "cam"));
        Assert.NotEmpty(segments);
        foreach (var segment in segments)
        {
            Assert.Equal("h264", (await Ffprobe.ProbeAsync(segment, ct)).Codec);
        }

        Assert.Empty(mtx.Violations);
    }

    [Fact]
    public async Task A_feed_MediaMTX_pulls_is_probed_through_MediaMTX_not_the_camera()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var camera = await RtspTestServer.StartAsync(keyInt: 5);
        await using var mtx = new MediaMtxDouble();
        await using var service = await TestService.StartAsync(ExternalMediaMtx.Yaml(mtx) + $"""

            cameras:
              rtsp_probe_interval_seconds: 1
              rtsp:
                - id: cam
                  url: {camera.Url}
                  transport: tcp
            """, cancellationToken: ct);
        await ExternalMediaMtx.WaitUntilRunningAsync(service.Services.GetRequiredService<MediaMtxState>(), TimeSpan.FromSeconds(30));
        await mtx.WaitForPathsAsync(["cam", "test0"], TimeSpan.FromSeconds(30));
        var registry = service.Services.GetRequiredService<VideoSensor.Cameras.CameraRegistry>();
        // Before MediaMTX has the feed, the camera itself is probed.
        await Platform.CameraWait.UntilAsync(registry, "cam", c => c?.Status == VideoSensor.Cameras.CameraStatus.Connected, ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        await using var relay = RtspRelayFactory.For(service, mtx, service.Services.GetRequiredService<IOptions<MediaOptions>>().Value.RtspPort);
        relay.PullConfiguredSource("cam");
        await relay.WaitUntilAsync(r => r.IsPublished("cam"), TimeSpan.FromSeconds(30));

        // Nothing else reads the feed: every read of MediaMTX's copy now is a probe (one a second).
        try
        {
            await relay.WaitUntilAsync(r => OwnCredentials(r, "read", "cam") >= 3, TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            Assert.Fail(string.Join('\n', relay.Auths) + "\n" + service.Logs.All);
        }
        var probed = registry.TryGet("cam", out var cam) ? cam : null;

        Assert.Equal(VideoSensor.Cameras.CameraStatus.Connected, probed?.Status);
        Assert.Equal((640, 360, 15), (probed!.Resolution.Width, probed.Resolution.Height, probed.Fps));
        Assert.Empty(mtx.Violations);
    }

    [Fact]
    public async Task A_path_that_never_gets_published_falls_back_to_the_camera_source()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var mtx = new MediaMtxDouble();
        // No RTSP server at all on MediaMTX's port: the ingest cannot publish, so the path never becomes ready.
        await using var service = await TestService.StartAsync(ExternalMediaMtx.Yaml(mtx, publishTimeoutSeconds: 1), cancellationToken: ct);
        await ExternalMediaMtx.WaitUntilRunningAsync(service.Services.GetRequiredService<MediaMtxState>(), TimeSpan.FromSeconds(30));
        await using var client = await service.ConnectAsync("operator", ct);

        var snapshot = (await client.CallAsync("take_snapshot", new { device = "test0" }, ct, TimeSpan.FromSeconds(60))).EnsureSuccess().Result;

        Assert.Equal("camera", snapshot.GetProperty("source").GetString());
        Assert.Equal(("mjpeg", 640, 360), await ProbeAsync(service, snapshot, ct));
        Assert.Contains(service.Logs.Lines, l => l.Contains("Reading test0 from its own source instead of MediaMTX: nothing was published on the path within 1 s", StringComparison.Ordinal));
        Assert.DoesNotContain(service.Logs.Lines, l => l.Contains(service.Services.GetRequiredService<InternalCredential>().Password, StringComparison.Ordinal));
    }

    private static async Task<(string, int, int)> ProbeAsync(TestService service, System.Text.Json.JsonElement snapshot, CancellationToken ct)
    {
        var probed = await Ffprobe.ProbeAsync(Path.Combine(service.StorageRoot, snapshot.GetProperty("file_path").GetString()!), ct);
        return (probed.Codec, probed.Width, probed.Height);
    }
}

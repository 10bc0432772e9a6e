using System.Text.Json;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Recording;

/// <summary>Snapshots from a running recorder, recording state errors, and SIGTERM in the middle of a recording.</summary>
public sealed class RecordingLifecycleTests
{
    [Fact]
    public async Task While_recording_a_snapshot_comes_from_the_live_frame_with_its_custom_name()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(TestPatternRecording.Camera, cancellationToken: ct);
        await using var client = await service.ConnectAsync("operator", ct);
        var cold = await TestPatternRecording.CallAsync(client, "take_snapshot", new { device = "test0" });
        Assert.Equal("camera", cold.GetProperty("source").GetString());

        (await client.CallAsync("subscribe_events", new { topics = new[] { "recording.progress" } }, ct)).EnsureSuccess();
        await TestPatternRecording.CallAsync(client, "start_recording", new { device = "test0" });
        await client.NextNotificationAsync("recording.progress", TimeSpan.FromSeconds(30), p => p.GetProperty("duration").GetDouble() >= 2);
        var again = await client.CallAsync("start_recording", new { device = "test0" }, ct);
        Assert.Equal(-32020, again.ErrorCode);

        var warm = await TestPatternRecording.CallAsync(client, "take_snapshot", new { device = "test0", filename = "yard_cam-1.png", format = "png" });
        var frames = Path.Combine(service.StorageRoot, "state", "frames");
        Assert.True(warm.GetProperty("source").GetString() == "live_frame",
            $"snapshot came from {warm.GetProperty("source")}; frames: {string.Join(", ", Directory.Exists(frames) ? Directory.GetFiles(frames).Select(f => $"{Path.GetFileName(f)} {(DateTime.UtcNow - File.GetLastWriteTimeUtc(f)).TotalSeconds:0.0}s") : ["none"])}");
        Assert.Equal("yard_cam-1.png", warm.GetProperty("filename").GetString());
        var probed = await Ffprobe.ProbeAsync(Path.Combine(service.StorageRoot, warm.GetProperty("file_path").GetString()!), ct);
        Assert.Equal(("png", 320, 180), (probed.Codec, probed.Width, probed.Height));
        Assert.StartsWith("snapshots/test0/", warm.GetProperty("file_path").GetString(), StringComparison.Ordinal);

        await TestPatternRecording.CallAsync(client, "stop_recording", new { device = "test0" });
        var notRecording = await client.CallAsync("stop_recording", new { device = "test0" }, ct);
        Assert.Equal(-32020, notRecording.ErrorCode);
    }

    [Fact]
    public async Task While_recording_a_full_size_jpeg_snapshot_is_the_live_frame_copied_without_an_ffmpeg_per_request()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(TestPatternRecording.Camera, cancellationToken: ct);
        await using var client = await service.ConnectAsync("operator", ct);
        (await client.CallAsync("subscribe_events", new { topics = new[] { "recording.progress" } }, ct)).EnsureSuccess();
        await TestPatternRecording.CallAsync(client, "start_recording", new { device = "test0" });
        await client.NextNotificationAsync("recording.progress", TimeSpan.FromSeconds(30), p => p.GetProperty("duration").GetDouble() >= 2);

        JsonElement[] copied;
        JsonElement scaled;
        IReadOnlyCollection<string> seen;
        await using (var sampler = new CommandLineSampler())
        {
            copied = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => TestPatternRecording.CallAsync(client, "take_snapshot", new { device = "test0", filename = $"burst-{i}" })));
            scaled = await TestPatternRecording.CallAsync(client, "take_snapshot", new { device = "test0", filename = "small", max_width = 160 });
            seen = sampler.Seen;
        }

        foreach (var snapshot in copied)
        {
            Assert.Equal("live_frame", snapshot.GetProperty("source").GetString());
            var probed = await Ffprobe.ProbeAsync(Path.Combine(service.StorageRoot, snapshot.GetProperty("file_path").GetString()!), ct);
            Assert.Equal(("mjpeg", 320, 180), (probed.Codec, probed.Width, probed.Height));
        }

        var small = await Ffprobe.ProbeAsync(Path.Combine(service.StorageRoot, scaled.GetProperty("file_path").GetString()!), ct);
        Assert.Equal(("mjpeg", 160, 90), (small.Codec, small.Width, small.Height));
        var snapshotFfmpegs = seen.Where(l => l.Contains("ffmpeg", StringComparison.Ordinal) && l.Contains(Path.Combine(service.StorageRoot, "snapshots"), StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(snapshotFfmpegs, l => l.Contains("burst-", StringComparison.Ordinal));
        Assert.Contains(snapshotFfmpegs, l => l.Contains("small", StringComparison.Ordinal));
        await TestPatternRecording.CallAsync(client, "stop_recording", new { device = "test0" });
    }

    [Fact]
    public async Task Sigterm_during_a_recording_leaves_every_segment_playable()
    {
        var ct = TestContext.Current.CancellationToken;
        // As production runs it: the recorder reads MediaMTX (when the binary is here), which also stops on SIGTERM.
        await using var service = await ServiceProcess.StartAsync(null, ct, environment: new Dictionary<string, string>(Contracts.ManagedMediaMtx.Environment())
        {
            ["VIDEOSENSOR__RECORDING__SEGMENT_SECONDS"] = "2",
        });
        var (exit, token, stderr) = await ServiceProcess.RunCliAsync(["token", "--role", "operator"],
            new Dictionary<string, string> { ["VIDEOSENSOR__STORAGE__ROOT"] = service.StorageRoot }, ct);
        Assert.True(exit == 0, stderr);
        await using (var client = await RpcTestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{service.Port}/ws"), cancellationToken: ct))
        {
            (await client.CallAsync("authenticate", new { auth_token = token.Trim() }, ct)).EnsureSuccess();
            (await client.CallAsync("subscribe_events", new { topics = new[] { "recording.progress" } }, ct)).EnsureSuccess();
            (await client.CallAsync("start_recording", new { device = "test0" }, ct, TimeSpan.FromSeconds(40))).EnsureSuccess();
            await client.NextNotificationAsync("recording.progress", TimeSpan.FromSeconds(30), p => p.GetProperty("duration").GetDouble() >= 3);
        }

        Assert.Equal(0, await service.TerminateAsync(TimeSpan.FromSeconds(20)));

        var folder = Path.Combine(service.StorageRoot, "recordings", "test0");
        Assert.Empty(Directory.GetFiles(folder, "*.partial"));
        var files = Directory.GetFiles(folder);
        Assert.True(files.Length >= 2, $"expected several segments, found {files.Length}");
        var total = 0.0;
        foreach (var file in files)
        {
            var probed = await Ffprobe.ProbeAsync(file, ct);
            Assert.Equal("h264", probed.Codec);
            Assert.True(probed.Duration > 0, $"{file} is not playable");
            total += probed.Duration!.Value;
        }

        Assert.True(total >= 3, $"recorded {total} s");
        Assert.DoesNotContain("Unhandled", service.Output, StringComparison.Ordinal);
        _ = JsonSerializer.Serialize(total);
    }
}

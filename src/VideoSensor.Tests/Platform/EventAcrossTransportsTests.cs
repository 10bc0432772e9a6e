using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Usb.Controls;
using VideoSensor.EventContract;
using VideoSensor.Events;
using VideoSensor.Recording;
using VideoSensor.Snapshots;
using VideoSensor.Storage;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Platform;

/// <summary>
/// One domain event, two transports: the JSON-RPC topic notification and the Dapr CloudEvent (through the gRPC
/// sidecar double) carry the same topic and the same payload, with the contract's wire names.
/// </summary>
public sealed class EventAcrossTransportsTests
{
    private static readonly StreamLinks Links = new("rtsp://sensor.test:8554/cam0", "http://sensor.test:8889/cam0/", "http://sensor.test:8888/cam0/index.m3u8");

    [Fact]
    public async Task A_snapshot_and_every_other_event_reach_WebSocket_subscribers_and_Dapr_with_the_same_topic_and_payload()
    {
        var ct = DaprTestSetup.Timeout(90);
        await using var sidecar = await FakeDaprSidecar.StartAsync();
        await using var service = await TestService.StartAsync(DaprTestSetup.DaprYaml(sidecar) + "\n" + DaprTestSetup.TestPattern(), cancellationToken: ct);
        await using var client = await service.ConnectAsync("operator", ct);
        (await client.CallAsync("subscribe_events", new { topics = EventTopics.All }, ct)).EnsureSuccess();

        // The real path: take_snapshot runs the use case, whose SnapshotTaken goes through the hub to both transports.
        var snapshot = (await client.CallAsync("take_snapshot", new { device = "cam0" }, ct)).EnsureSuccess().Result;
        var filename = snapshot.GetProperty("filename").GetString();
        var taken = await client.NextNotificationAsync("snapshot.taken", where: p => p.GetProperty("filename").GetString() == filename);
        await AssertSameOnDaprAsync(sidecar, "snapshot.taken", taken, ct);
        Assert.Equal(["device", "file_size", "filename", "resolution", "timestamp"], Names(taken));
        Assert.Equal(snapshot.GetProperty("file_size").GetInt64(), taken.GetProperty("file_size").GetInt64());
        Assert.Equal("cam0", taken.GetProperty("device").GetString());

        // Every other event record of the core, raised on the hub as its feature raises it.
        var cam0 = service.Services.GetRequiredService<CameraRegistry>().Get("cam0");
        var hub = service.Services.GetRequiredService<EventHub>();
        foreach (var (sample, topic, fields) in Samples(cam0))
        {
            hub.Publish(sample);
            var device = sample.CameraId;
            var notified = await client.NextNotificationAsync(topic, where: p => p.GetProperty("device").GetString() == device);
            Assert.Equal([.. fields.Append("device").Append("timestamp").Order(StringComparer.Ordinal)], Names(notified));
            await AssertSameOnDaprAsync(sidecar, topic, notified, ct);
        }
    }

    [Fact]
    public void Every_event_record_of_the_core_is_in_the_contract()
    {
        var samples = Samples(new Camera("cam0", CameraKind.TestPattern, "cam0", CameraStatus.Connected, new Resolution(320, 240), 15, null!, null!)).ToList();
        var recordTypes = typeof(SensorEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(SensorEvent)) && !t.IsAbstract).ToHashSet();
        Assert.Equal(recordTypes.OrderBy(t => t.Name), samples.Select(s => s.Event.GetType()).Distinct().OrderBy(t => t.Name));
        Assert.All(samples, s => Assert.Equal(s.Topic, EventWire.ToWire(s.Event)?.Topic));
    }

    [Fact]
    public void Durations_are_seconds_to_the_millisecond_and_times_are_UTC()
    {
        var started = new RecordingStarted("cam0", "cam0_a.mp4", "fmp4", new DateTimeOffset(2026, 1, 2, 4, 5, 6, TimeSpan.FromHours(1)), null, TimeSpan.FromSeconds(60))
        {
            Time = new DateTimeOffset(2026, 1, 2, 3, 5, 7, TimeSpan.Zero),
        };
        var wire = EventWire.ToWire(started)!;
        Assert.Equal(
            """{"status":"RECORDING","filename":"cam0_a.mp4","format":"fmp4","start_time":"2026-01-02T03:05:06.0000000Z","duration":0,"max_duration":null,"segment_seconds":60,"device":"cam0","timestamp":"2026-01-02T03:05:07.0000000Z"}""",
            wire.Data.GetRawText());
        var progress = EventWire.ToWire(new RecordingProgressed("cam0", "cam0_a.mp4", TimeSpan.FromSeconds(12.3456), 1024, 2, 0))!;
        Assert.Equal(12.346, progress.Data.GetProperty("duration").GetDouble());
    }

    private static async Task AssertSameOnDaprAsync(FakeDaprSidecar sidecar, string topic, JsonElement notified, CancellationToken ct)
    {
        var timestamp = notified.GetProperty("timestamp").GetString();
        var (request, cloudEvent) = await sidecar.State.WaitForAsync(
            e => e.GetProperty("type").GetString() == "io.daprcamera." + topic && e.GetProperty("data").GetProperty("timestamp").GetString() == timestamp, ct);
        Assert.Equal("videosensor." + topic, request.Topic);
        Assert.Equal(timestamp, cloudEvent.GetProperty("time").GetString());
        var device = notified.GetProperty("device");
        if (device.ValueKind == JsonValueKind.Null)
        {
            Assert.False(cloudEvent.TryGetProperty("subject", out _));
        }
        else
        {
            Assert.Equal(device.GetString(), cloudEvent.GetProperty("subject").GetString());
        }

        Assert.True(JsonElement.DeepEquals(notified, cloudEvent.GetProperty("data")), $"notification {notified}\ncloud event data {cloudEvent.GetProperty("data")}");
    }

    private static string[] Names(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private static IEnumerable<(SensorEvent Event, string Topic, string[] Fields)> Samples(Camera cam0)
    {
        string[] camera = ["status", "name", "resolution", "fps", "streams", "kind", "reason"];
        yield return (new CameraConnected(cam0, Links, null), EventTopics.CameraConnected, camera);
        yield return (new CameraDisconnected(cam0 with { Status = CameraStatus.Disconnected, StatusReason = "unplugged" }, Links, CameraStatus.Connected),
            EventTopics.CameraDisconnected, [.. camera, "previous_status"]);
        yield return (new CameraStatusChanged(cam0, Links, CameraStatus.Error), EventTopics.CameraStatusChange, [.. camera, "previous_status"]);
        string[] cameraFields = ["status", "name", "resolution", "fps", "streams", "kind", "reason"];
        yield return (new CameraControlChanged(cam0, Links, "brightness", 9963776, 140, null), EventTopics.CameraStatusChange,
            [.. cameraFields, "control", "control_id", "value", "previous"]);
        yield return (new CameraControlsRestored(cam0, Links, ["brightness"], ["contrast"]), EventTopics.CameraStatusChange, [.. cameraFields, "restored", "failed"]);
        yield return (new RecordingStarted("cam0", "cam0_a.mp4", "fmp4", DateTimeOffset.UtcNow, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60)),
            EventTopics.RecordingStart, ["status", "filename", "format", "start_time", "duration", "max_duration", "segment_seconds"]);
        yield return (new RecordingProgressed("cam0", "cam0_a.mp4", TimeSpan.FromSeconds(4.5), 123456, 2, 0), EventTopics.RecordingProgress,
            ["status", "filename", "duration", "bytes", "segments", "restarts"]);
        yield return (new RecorderFailed("cam0", "cam0_a.mp4", TimeSpan.FromSeconds(5), "exit 1", "recorder_died", true, 1), EventTopics.RecordingError,
            ["status", "filename", "duration", "error", "reason", "restarting", "restarts"]);
        yield return (new RecordingRecovered("cam0", "cam0_a.mp4", TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(1.25), 1), EventTopics.RecordingError,
            ["status", "filename", "duration", "error", "recovered", "gap_seconds", "restarts"]);
        yield return (new RecordingStopped("cam0", "cam0_a.mp4", TimeSpan.FromSeconds(7), 999, "requested", ["cam0_a.mp4", "cam0_a_001.mp4"], 1, TimeSpan.FromSeconds(1.25)),
            EventTopics.RecordingStop, ["status", "filename", "duration", "file_size", "reason", "segments", "files", "restarts", "gap_seconds"]);
        yield return (new SnapshotTaken("cam0", "cam0_b.jpg", 2048, 320, 240), EventTopics.SnapshotTaken, ["filename", "file_size", "resolution"]);
        yield return (new SnapshotFailed("cam0", "no frame"), EventTopics.SnapshotError, ["error"]);
        yield return (new StorageLow(100, 10_000, 99, 1, 10, 2, true), EventTopics.StorageLowSpace,
            ["level", "available_space", "total_space", "usage_percentage", "free_percentage", "low_space_percent", "block_space_percent", "recording_blocked"]);
        yield return (new ServiceStarted("9.9.9"), EventTopics.SystemStartup, ["version"]);
        yield return (new ServiceStopping("stopping"), EventTopics.SystemShutdown, ["reason"]);
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Cameras;
using VideoSensor.Platform.Dapr;
using VideoSensor.Events;
using VideoSensor.Storage;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Platform;

/// <summary>Events, registration and heartbeats reach Dapr pub/sub as CloudEvents, through a real gRPC sidecar double.</summary>
public sealed class DaprEventsTests
{
    [Fact]
    public async Task Registration_camera_events_and_heartbeat_are_published_as_CloudEvents()
    {
        var ct = DaprTestSetup.Timeout();
        await using var sidecar = await FakeDaprSidecar.StartAsync();
        var service = await TestService.StartAsync(DaprTestSetup.DaprYaml(sidecar) + "\n" + DaprTestSetup.TestPattern(), cancellationToken: ct);
        try
        {
            var (registeredRequest, registered) = await sidecar.State.WaitForTypeAsync("io.daprcamera.sensor.registered", ct);
            Assert.Equal("pubsub", registeredRequest.PubsubName);
            Assert.Equal("videosensor.sensor.registered", registeredRequest.Topic);
            Assert.Equal("application/cloudevents+json", registeredRequest.DataContentType);
            Assert.Equal("1.0", registered.GetProperty("specversion").GetString());
            Assert.Equal("/daprcamera/sensors/sensor-a/node-1", registered.GetProperty("source").GetString());
            Assert.True(Guid.TryParse(registered.GetProperty("id").GetString(), out _));
            Assert.True(DateTimeOffset.TryParse(registered.GetProperty("time").GetString(), out _));
            var data = registered.GetProperty("data");
            Assert.Equal("sensor-a", data.GetProperty("app_id").GetString());
            Assert.Equal("node-1", data.GetProperty("instance_id").GetString());
            Assert.Equal(4, data.GetProperty("capacity").GetProperty("max_streams").GetInt32());
            Assert.Equal(0, data.GetProperty("capacity").GetProperty("active_streams").GetInt32());
            Assert.Contains(data.GetProperty("cameras").EnumerateArray(), c => c.GetProperty("device").GetString() == "cam0" && c.GetProperty("status").GetString() == "CONNECTED");
            Assert.Contains(data.GetProperty("capabilities").GetProperty("methods").EnumerateArray(), m => m.GetString() == "take_snapshot");
            Assert.Equal($"ws://sensor.test:{service.Port}/ws", data.GetProperty("endpoints").GetProperty("websocket").GetString());
            Assert.Equal("videosensor.commands.sensor-a", data.GetProperty("capabilities").GetProperty("commands").GetString());

            var (connectedRequest, connected) = await sidecar.State.WaitForTypeAsync("io.daprcamera.camera.connected", ct, subject: "cam0");
            Assert.Equal("videosensor.camera.connected", connectedRequest.Topic);
            Assert.Equal("cam0", connected.GetProperty("data").GetProperty("device").GetString());
            Assert.Equal("application/json", connected.GetProperty("datacontenttype").GetString());

            // A change while running: the registry's event goes out with the camera as subject and its fields.
            service.Services.GetRequiredService<CameraRegistry>().SetStatus("cam0", CameraStatus.Error, "lens cap on");
            var (_, changed) = await sidecar.State.WaitForTypeAsync("io.daprcamera.camera.status_change", ct, subject: "cam0");
            Assert.Equal("ERROR", changed.GetProperty("data").GetProperty("status").GetString());
            Assert.Equal("CONNECTED", changed.GetProperty("data").GetProperty("previous_status").GetString());

            var (_, heartbeat) = await sidecar.State.WaitForTypeAsync("io.daprcamera.sensor.heartbeat", ct);
            var hb = heartbeat.GetProperty("data");
            Assert.Contains(hb.GetProperty("status").GetString(), new[] { "HEALTHY", "DEGRADED" });
            Assert.Equal("HEALTHY", hb.GetProperty("components").GetProperty("dapr").GetString());
            Assert.Equal(4, hb.GetProperty("capacity").GetProperty("max_streams").GetInt32());

            using var http = new HttpClient { BaseAddress = service.BaseUri };
            var health = await http.GetFromJsonAsync<JsonElement>("/health", ct);
            Assert.Equal("HEALTHY", health.GetProperty("components").GetProperty("dapr").GetProperty("status").GetString());
        }
        finally
        {
            await service.StopAsync();
            await service.DisposeAsync();
        }

        // A clean shutdown deregisters before the publisher stops.
        var (_, deregistered) = await sidecar.State.WaitForTypeAsync("io.daprcamera.sensor.deregistered", DaprTestSetup.Timeout(5));
        Assert.Equal("node-1", deregistered.GetProperty("data").GetProperty("instance_id").GetString());
    }

    [Fact]
    public async Task A_full_buffer_drops_the_oldest_events_and_keeps_the_newest()
    {
        var ct = DaprTestSetup.Timeout(60);
        await using var sidecar = await FakeDaprSidecar.StartAsync();
        await using var service = await TestService.StartAsync(DaprTestSetup.DaprYaml(sidecar, "  buffer_size: 5", heartbeatSeconds: 3600), cancellationToken: ct);
        await sidecar.State.WaitForTypeAsync("io.daprcamera.sensor.registered", ct);
        var publisher = service.Services.GetRequiredService<DaprEventPublisher>();
        await sidecar.StopAsync();
        await service.Services.GetRequiredService<SidecarMonitor>().ProbeAsync(ct);
        var hub = service.Services.GetRequiredService<EventHub>();
        for (var i = 0; i < 20; i++)
        {
            hub.Publish(new StorageLow(AvailableBytes: i, TotalBytes: 1000, UsedPercent: 99, FreePercent: 1, LowSpacePercent: 10, BlockSpacePercent: 2, RecordingBlocked: false));
        }

        await sidecar.ResumeAsync();
        await sidecar.State.WaitForAsync(e => e.GetProperty("type").GetString() == "io.daprcamera.storage.low_space" && e.GetProperty("data").GetProperty("available_space").GetInt32() == 19, ct);
        await publisher.FlushAsync(ct);
        var delivered = sidecar.State.Published
            .Where(p => p.CloudEvent.GetProperty("type").GetString() == "io.daprcamera.storage.low_space")
            .Select(p => p.CloudEvent.GetProperty("data").GetProperty("available_space").GetInt32())
            .ToList();

        // Five wait in the buffer (one of them may be the re-registration sent when the sidecar came back)
        // and one event (of any kind) was in flight when it went: the newest survive, in order; the oldest were dropped.
        var detail = string.Join(",", delivered);
        Assert.True(delivered.Count is >= 4 and <= 6, detail);
        Assert.True(delivered.Order().SequenceEqual(delivered), detail);
        Assert.True(Enumerable.Range(16, 4).SequenceEqual(delivered.TakeLast(4)), detail);
        Assert.True(publisher.Dropped >= 20 - delivered.Count, $"dropped {publisher.Dropped}");
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Fixtures.Dapr;

namespace VideoSensor.Tests.Platform.RealDapr;

/// <summary>
/// The service with a real daprd and Redis, loading the repository's own components/ and dapr/config.yaml: what it
/// publishes is read back from Redis Streams and from a second app behind its own daprd, not from the service.
/// </summary>
public sealed class RealDaprEventsTests
{
    private const string Registered = "videosensor.sensor.registered";
    private const string Heartbeat = "videosensor.sensor.heartbeat";
    private const string Deregistered = "videosensor.sensor.deregistered";
    private const string SnapshotTaken = "videosensor.snapshot.taken";
    private const string CommandResult = "videosensor.command.result";
    private const string Commands = "videosensor.commands.videosensor";

    [Fact]
    public async Task Registration_heartbeat_and_a_commanded_PNG_snapshot_arrive_in_Redis_and_at_a_subscriber_app()
    {
        var ct = DaprTestSetup.Timeout(150);
        await using var cluster = await RealDaprCluster.StartAsync(ct);
        var aggregatorSidecar = cluster.Sidecar("aggregator");
        await using var aggregator = await SubscriberApp.StartAsync("pubsub", [Registered, SnapshotTaken, Deregistered], ct);
        await aggregatorSidecar.StartAsync(aggregator.Port, ct);
        await aggregatorSidecar.WaitForSubscriptionAsync(Registered, ct);

        var sensorSidecar = cluster.Sidecar("videosensor");
        var service = await TestService.StartAsync(RealDaprCluster.SensorYaml(sensorSidecar) + "\nlimits:\n  max_streams: 4\n" + DaprTestSetup.TestPattern(), cancellationToken: ct);
        try
        {
            await sensorSidecar.StartAsync(service.Port, ct);
            await sensorSidecar.WaitForSubscriptionAsync(Commands, ct);

            // Registration: in the stream with the documented envelope and data.
            var registered = await RedisStreams.WaitForAsync(cluster.Redis, Registered, _ => true, ct, cluster.Logs);
            Assert.Equal("1.0", registered.GetProperty("specversion").GetString());
            Assert.Equal("io.daprcamera.sensor.registered", registered.GetProperty("type").GetString());
            Assert.Equal("/daprcamera/sensors/videosensor/node-1", registered.GetProperty("source").GetString());
            Assert.Equal("application/json", registered.GetProperty("datacontenttype").GetString());
            Assert.True(Guid.TryParse(registered.GetProperty("id").GetString(), out _));
            var data = registered.GetProperty("data");
            Assert.Equal("videosensor", data.GetProperty("app_id").GetString());
            Assert.Equal("node-1", data.GetProperty("instance_id").GetString());
            Assert.Equal(4, data.GetProperty("capacity").GetProperty("max_streams").GetInt32());
            Assert.Contains(data.GetProperty("cameras").EnumerateArray(), c => c.GetProperty("device").GetString() == "cam0");
            Assert.Equal(Commands, data.GetProperty("capabilities").GetProperty("commands").GetString());

            // The second app got the same event through its own sidecar.
            // The sensor registers again whenever its sidecar comes back (a slow health call under load counts), and
            // the subscriber may only start reading after the first: the event it got must be one Redis holds.
            var atAggregator = await aggregator.WaitForAsync(r => r.Type == "io.daprcamera.sensor.registered", "sensor.registered", ct);
            var registrations = await RedisStreams.CloudEventsAsync(cluster.Redis, Registered);
            Assert.Contains(atAggregator.CloudEvent.GetProperty("id").GetString(), registrations.Select(e => e.GetProperty("id").GetString()));
            Assert.Equal("node-1", atAggregator.Data.GetProperty("instance_id").GetString());

            // Heartbeats keep coming (heartbeat_seconds 1) and report the sidecar healthy.
            await RedisStreams.WaitForAsync(cluster.Redis, Heartbeat, _ => true, ct);
            var heartbeat = await WaitForCountAsync(cluster.Redis, Heartbeat, 2, ct);
            Assert.Equal("io.daprcamera.sensor.heartbeat", heartbeat.GetProperty("type").GetString());
            Assert.Equal("HEALTHY", heartbeat.GetProperty("data").GetProperty("components").GetProperty("dapr").GetString());

            // A command published by the second app through its sidecar takes a PNG snapshot.
            using var http = new HttpClient();
            var commandId = Guid.NewGuid().ToString();
            using (var publish = await http.PostAsJsonAsync(
                new Uri($"{aggregatorSidecar.HttpEndpoint}/v1.0/publish/pubsub/{Commands}"),
                new { action = "snapshot", device = "cam0", @params = new { format = "png" } }, ct))
            {
                Assert.True(publish.IsSuccessStatusCode, await publish.Content.ReadAsStringAsync(ct));
            }

            var result = await RedisStreams.WaitForAsync(cluster.Redis, CommandResult, e => e.GetProperty("data").GetProperty("action").GetString() == "snapshot", ct, cluster.Logs);
            var resultData = result.GetProperty("data");
            Assert.Equal("succeeded", resultData.GetProperty("outcome").GetString());
            Assert.Equal("cam0", result.GetProperty("subject").GetString());
            Assert.Equal("320x240", resultData.GetProperty("resolution").GetString());
            var fileName = resultData.GetProperty("filename").GetString()!;
            Assert.EndsWith(".png", fileName, StringComparison.Ordinal);
            Assert.True(File.Exists(Directory.GetFiles(service.StorageRoot, fileName, SearchOption.AllDirectories).Single()));

            var taken = await RedisStreams.WaitForAsync(cluster.Redis, SnapshotTaken, e => e.GetProperty("data").GetProperty("filename").GetString() == fileName, ct);
            Assert.Equal("io.daprcamera.snapshot.taken", taken.GetProperty("type").GetString());
            Assert.Equal("320x240", taken.GetProperty("data").GetProperty("resolution").GetString());
            var takenAtAggregator = await aggregator.WaitForAsync(r => r.Type == "io.daprcamera.snapshot.taken", "snapshot.taken", ct);
            Assert.Equal(fileName, takenAtAggregator.Data.GetProperty("filename").GetString());
            Assert.Equal("cam0", takenAtAggregator.CloudEvent.GetProperty("subject").GetString());
        }
        finally
        {
            await service.StopAsync();
            await service.DisposeAsync();
        }

        // A clean stop deregisters: in Redis and at the subscriber.
        var deregistered = await RedisStreams.WaitForAsync(cluster.Redis, Deregistered, _ => true, DaprTestSetup.Timeout(15));
        Assert.Equal("node-1", deregistered.GetProperty("data").GetProperty("instance_id").GetString());
        await aggregator.WaitForAsync(r => r.Type == "io.daprcamera.sensor.deregistered", "sensor.deregistered", DaprTestSetup.Timeout(15));
    }

    private static async Task<JsonElement> WaitForCountAsync(RedisServer redis, string topic, int count, CancellationToken ct)
    {
        while (true)
        {
            var events = await RedisStreams.CloudEventsAsync(redis, topic);
            if (events.Count >= count)
            {
                return events[^1];
            }

            await Task.Delay(200, ct);
        }
    }
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dapr.Actors;
using Dapr.Actors.Client;
using VideoSensor.FeedOwnership;
using VideoSensor.Platform.FeedOwnership;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Fixtures.Dapr;

namespace VideoSensor.Tests.Platform.RealDapr;

/// <summary>
/// Every Dapr feature through the service as a process — the Native AOT executable when
/// <see cref="ServiceBinary.Variable"/> names it, as in CI — beside a real daprd, placement and Redis, with a second
/// app (an aggregator behind its own daprd) and the real Dapr.Actors proxy on the test side. Everything is read from
/// outside the service: Redis streams and actor state, the aggregator's deliveries, the files on disk. The camera wants
/// a password that only the Dapr secret store knows.
/// </summary>
public sealed class RealDaprServiceProcessTests
{
    private const string User = "viewer";
    private const string Password = "process-pass-5d1e";
    private const string Instance = "node-1";
    private const string Registered = "videosensor.sensor.registered";
    private const string Deregistered = "videosensor.sensor.deregistered";
    private const string SnapshotTaken = "videosensor.snapshot.taken";
    private const string CommandResult = "videosensor.command.result";
    private const string Commands = "videosensor.commands.videosensor";
    private const string DeadLetter = "videosensor.commands.deadletter";

    [Fact]
    public async Task Registration_events_commands_secrets_live_configuration_and_the_feed_actor_work_in_the_service_process()
    {
        RealDaprCluster.Require();
        Assert.SkipWhen(RealMediaMtx.Binary is null && !RealMediaMtx.InCi, RealMediaMtx.WhyUnavailable ?? "");
        var mediamtx = RealMediaMtx.Binary ?? throw new InvalidOperationException(RealMediaMtx.WhyUnavailable);
        var ct = DaprTestSetup.Timeout(240);
        await using var camera = await RtspTestServer.StartAsync(User, Password);
        await using var cluster = await RealDaprCluster.StartAsync(ct, placement: true);
        WriteSecrets(cluster.Resources);
        var aggregatorSidecar = cluster.Sidecar("aggregator");
        await using var aggregator = await SubscriberApp.StartAsync("pubsub", [Registered, SnapshotTaken], ct);
        await aggregatorSidecar.StartAsync(aggregator.Port, ct);
        await aggregatorSidecar.WaitForSubscriptionAsync(Registered, ct);

        var sidecar = cluster.Sidecar("videosensor");
        var sensor = SensorProcess.Create(Instance);
        try
        {
            // The sidecar first, as in a pod where daprd is up before the app asks it for the camera's secret.
            await sidecar.StartAsync(sensor.Port, ct);
            await sensor.StartAsync(
                RtspFeedYaml.Cameras(camera, "door", "door-cam") + "\n"
                + RealMediaMtx.Yaml(mediamtx, RealMediaMtx.Ports.Allocate()) + "\n"
                + RealDaprCluster.SensorYaml(sidecar, Instance, feedOwnership: true, leaseSeconds: 6), ct);
            await sidecar.WaitForSubscriptionAsync(Commands, ct);

            // Registration: a CloudEvent in the Redis stream, and the same event at the aggregator through its sidecar.
            var registered = await RedisStreams.WaitForAsync(cluster.Redis, Registered, _ => true, ct, cluster.Logs);
            Assert.Equal("io.daprcamera.sensor.registered", registered.GetProperty("type").GetString());
            Assert.Equal($"/daprcamera/sensors/videosensor/{Instance}", registered.GetProperty("source").GetString());
            Assert.Equal(Instance, registered.GetProperty("data").GetProperty("instance_id").GetString());
            var atAggregator = await aggregator.WaitForAsync(r => r.Type == "io.daprcamera.sensor.registered", "sensor.registered", ct);
            Assert.Equal(Instance, atAggregator.Data.GetProperty("instance_id").GetString());

            // The feed actor: the sensor claimed the camera's feed; the lease in the actor state store names it.
            var feed = FeedKey.For(new Uri(camera.Url));
            await Until.TrueAsync(() => LeaseOwner(cluster.Redis, feed) == Instance, "the RtspFeedOwner lease in Redis names the sensor", ct);

            // The actor hosted by the service, called through daprd by the real Dapr.Actors proxy: an intruder
            // neither takes the live lease nor releases it.
            var proxies = new ActorProxyFactory(new ActorProxyOptions { HttpEndpoint = sidecar.HttpEndpoint });
            var actor = proxies.Create(new ActorId(feed), RtspFeedOwnerActor.TypeName);
            Assert.Equal(Instance, (await actor.InvokeMethodAsync<FeedClaim, FeedLease>("Claim", new FeedClaim("intruder", 60), ct)).Owner);
            Assert.Equal(Instance, (await actor.InvokeMethodAsync<FeedClaim, FeedLease>("Release", new FeedClaim("intruder", 60), ct)).Owner);
            Assert.Equal(Instance, LeaseOwner(cluster.Redis, feed));

            // The secret: the camera wants a password only the Dapr secret store has, and the sensor pulls it.
            var connected = await RedisStreams.WaitForAsync(cluster.Redis, "videosensor.camera.connected", e => e.GetProperty("subject").GetString() == "door", ct, cluster.Logs);
            Assert.Equal("io.daprcamera.camera.connected", connected.GetProperty("type").GetString());

            // A command published by the aggregator takes a snapshot of that camera; the result is published back.
            using var http = new HttpClient();
            var commandId = Guid.NewGuid().ToString();
            await PublishCommandAsync(http, aggregatorSidecar, commandId, new { action = "snapshot", device = "door" }, ct);
            var result = await RedisStreams.WaitForAsync(cluster.Redis, CommandResult, e => e.GetProperty("data").GetProperty("command_id").GetString() == commandId, ct, cluster.Logs);
            Assert.Equal("succeeded", result.GetProperty("data").GetProperty("outcome").GetString());
            Assert.Equal(Instance, result.GetProperty("data").GetProperty("instance_id").GetString());
            var fileName = result.GetProperty("data").GetProperty("filename").GetString()!;
            Assert.True(new FileInfo(Directory.GetFiles(sensor.StorageRoot, fileName, SearchOption.AllDirectories).Single()).Length > 0);
            var taken = await aggregator.WaitForAsync(r => r.Type == "io.daprcamera.snapshot.taken", "snapshot.taken", ct);
            Assert.Equal(fileName, taken.Data.GetProperty("filename").GetString());

            // A command the sensor cannot carry out is answered DROP: daprd moves it to the dead-letter topic.
            var unknownId = Guid.NewGuid().ToString();
            await PublishCommandAsync(http, aggregatorSidecar, unknownId, new { action = "self_destruct", device = "door" }, ct);
            var refused = await RedisStreams.WaitForAsync(cluster.Redis, CommandResult, e => e.GetProperty("data").GetProperty("command_id").GetString() == unknownId, ct, cluster.Logs);
            Assert.NotEqual("succeeded", refused.GetProperty("data").GetProperty("outcome").GetString());
            await RedisStreams.WaitForAsync(cluster.Redis, DeadLetter, e => e.GetRawText().Contains("self_destruct", StringComparison.Ordinal), ct, cluster.Logs);

            // Live configuration: a second feed written to the configuration store after start is added and connects.
            var db = RealDaprConfigurationTests.ConfigDb(cluster.Resources);
            await Until.TrueAsync(() => RealDaprConfigurationTests.KeyspaceSubscriptions(cluster.Redis, db) > 0, "daprd subscribes to Redis keyspace notifications", ct);
            var credentials = "\"username\": {\"secret\": \"door-cam\", \"key\": \"username\"}, \"password\": {\"secret\": \"door-cam\", \"key\": \"password\"}";
            await cluster.Redis.Db(db).StringSetAsync("cameras.rtsp",
                $"[{{\"id\": \"door\", \"url\": \"{camera.Url}\", \"transport\": \"tcp\", {credentials}}}, {{\"id\": \"porch\", \"url\": \"{camera.Url}\", \"transport\": \"tcp\", {credentials}}}]||1");
            await RedisStreams.WaitForAsync(cluster.Redis, "videosensor.camera.connected", e => e.GetProperty("subject").GetString() == "porch", ct, cluster.Logs);

            Assert.DoesNotContain(Password, sensor.Output, StringComparison.Ordinal);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"{ex.Message}\n--- sensor ({ServiceBinary.Kind})\n{sensor.Output}\n{cluster.Logs()}", ex);
        }
        finally
        {
            // A clean stop (SIGTERM): deregistered, and the feed's lease handed back at once.
            await sensor.DisposeAsync();
        }

        var deregistered = await RedisStreams.WaitForAsync(cluster.Redis, Deregistered, _ => true, DaprTestSetup.Timeout(15), cluster.Logs);
        Assert.Equal(Instance, deregistered.GetProperty("data").GetProperty("instance_id").GetString());
        Assert.True(LeaseOwner(cluster.Redis, FeedKey.For(new Uri(camera.Url))) is null, $"the lease outlived a clean stop\n{sensor.Output}\n{cluster.Logs()}");
    }

    private static async Task PublishCommandAsync(HttpClient http, DaprdProcess daprd, string id, object command, CancellationToken ct)
    {
        var cloudEvent = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["source"] = "/tests/aggregator",
            ["type"] = "io.daprcamera.command",
            ["datacontenttype"] = "application/json",
            ["data"] = command,
        });
        using var content = new StringContent(cloudEvent, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json");
        using var response = await http.PostAsync(new Uri($"{daprd.HttpEndpoint}/v1.0/publish/pubsub/{Commands}"), content, ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    /// <summary>The owner in the feed actor's lease, straight from the actor state store's Redis hash (null when none).</summary>
    private static string? LeaseOwner(RedisServer redis, string feed)
    {
        var data = redis.Db().HashGet($"videosensor||{RtspFeedOwnerActor.TypeName}||{feed}||lease", "data");
        if (data.IsNull)
        {
            return null;
        }

        using var lease = JsonDocument.Parse((string)data!);
        return lease.RootElement.GetProperty("owner").GetString();
    }

    /// <summary>The shipped example secrets with the camera's user and password (the file daprd's local.file component reads at start).</summary>
    private static void WriteSecrets(DaprResources resources)
    {
        var secrets = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(File.ReadAllText(Path.Combine(DaprResources.RepositoryRoot, "components", "dev-secrets.example.json")))!;
        secrets["door-cam"] = new() { ["username"] = User, ["password"] = Password };
        File.WriteAllText(resources.SecretsFile, JsonSerializer.Serialize(secrets));
    }
}

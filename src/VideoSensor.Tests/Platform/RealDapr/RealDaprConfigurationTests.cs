using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VideoSensor.Cameras;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Fixtures.Dapr;

namespace VideoSensor.Tests.Platform.RealDapr;

/// <summary>
/// Live settings through the real configuration.redis component, with the shipped components/ (resiliency included):
/// a value written to Redis after start has to reach the running service, not only the first read.
/// </summary>
public sealed partial class RealDaprConfigurationTests
{
    [Fact]
    public async Task A_change_written_to_Redis_after_start_reaches_the_running_service()
    {
        var ct = DaprTestSetup.Timeout(120);
        await using var camera = await RtspTestServer.StartAsync();
        await using var cluster = await RealDaprCluster.StartAsync(ct);
        var db = ConfigDb(cluster.Resources);
        var store = cluster.Redis.Db(db);
        await store.StringSetAsync("cameras.rtsp_probe_interval_seconds", "11||1");

        var sidecar = cluster.Sidecar("videosensor");
        await using var service = await TestService.StartAsync(RealDaprCluster.SensorYaml(sidecar), cancellationToken: ct);
        await sidecar.StartAsync(service.Port, ct);
        var cameras = service.Services.GetRequiredService<IOptionsMonitor<CamerasOptions>>();
        var registry = service.Services.GetRequiredService<CameraRegistry>();

        // The first read.
        await Until.TrueAsync(() => cameras.CurrentValue.RtspProbeIntervalSeconds == 11, "the initial store value applies", ct);

        // The live part: daprd must hold a keyspace subscription in Redis (configuration.redis listens to
        // __keyspace@<db>__ notifications), and a later SET must arrive.
        await Until.TrueAsync(() => KeyspaceSubscriptions(cluster.Redis, db) > 0, "daprd subscribes to Redis keyspace notifications", DaprTestSetup.Timeout(30));
        await Task.Delay(TimeSpan.FromSeconds(6), ct); // longer than the resiliency timeouts (5 s) that used to end the subscription
        await store.StringSetAsync("cameras.rtsp", $"[{{\"id\": \"yard\", \"url\": \"{camera.Url}\", \"name\": \"Yard\"}}]||2");
        await store.StringSetAsync("cameras.rtsp_probe_interval_seconds", "7||3");

        try
        {
            await Until.TrueAsync(() => cameras.CurrentValue.RtspProbeIntervalSeconds == 7, "the changed probe interval applies", DaprTestSetup.Timeout(20));
        }
        catch (Exception)
        {
            Assert.Fail($"the change in Redis never reached the service (keyspace subscriptions: {KeyspaceSubscriptions(cluster.Redis, db)})\n{cluster.Logs()}");
        }

        // The feed added in Redis is connected, and its camera.connected event is in the Redis stream.
        var connected = await RedisStreams.WaitForAsync(cluster.Redis, "videosensor.camera.connected", e => e.GetProperty("subject").GetString() == "yard", ct, cluster.Logs);
        Assert.Equal("io.daprcamera.camera.connected", connected.GetProperty("type").GetString());
        Assert.True(registry.TryGet("yard", out var yard));
        Assert.Equal("Yard", yard.Name);

        // The streams and the configuration keys live apart: configuration reads see only configuration keys.
        if (db != 0)
        {
            Assert.False(await cluster.Redis.Db(db).KeyExistsAsync("videosensor.camera.connected"));
        }
        Assert.DoesNotContain(service.Logs.Lines, l => l.Contains("is not a live setting", StringComparison.Ordinal) && l.Contains("videosensor.", StringComparison.Ordinal));
    }

    /// <summary>The Redis database the shipped configstore component uses (redisDB, default 0).</summary>
    internal static int ConfigDb(DaprResources resources) =>
        RedisDb().Match(resources.Component("configstore.yaml")) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;

    /// <summary>How many keyspace-notification channels or patterns of <paramref name="db"/> someone listens to.</summary>
    internal static long KeyspaceSubscriptions(RedisServer redis, int db)
    {
        var server = redis.Connection.GetServer(redis.Address);
        // configuration.redis subscribes to __keyspace@<db>__:<key> per key, or to the pattern __keyspace@<db>__:* for all keys.
        var channels = (RedisResult[])server.Execute("PUBSUB", "CHANNELS", $"__keyspace@{db}__:*")!;
        return channels.Length + (long)server.Execute("PUBSUB", "NUMPAT");
    }

    [GeneratedRegex(@"name: redisDB\s*\n\s*value: ""?(\d+)""?")]
    private static partial Regex RedisDb();
}

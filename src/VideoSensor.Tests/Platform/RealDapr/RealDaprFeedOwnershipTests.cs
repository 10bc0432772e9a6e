using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using StackExchange.Redis;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Fixtures.Dapr;

namespace VideoSensor.Tests.Platform.RealDapr;

/// <summary>
/// Two sensor processes with two real daprd sidecars, one placement and one Redis share a GStreamer RTSP camera
/// through the RtspFeedOwner actor. Who pulls the camera is read from the kernel (which MediaMTX holds a connection
/// to it); commands and their results are read from Redis.
/// </summary>
public sealed class RealDaprFeedOwnershipTests
{
    private const int LeaseSeconds = 6;

    [Fact]
    public async Task One_instance_pulls_a_shared_feed_commands_for_it_run_there_and_the_other_takes_over_after_kill_9()
    {
        RealDaprCluster.Require();
        Assert.SkipWhen(RealMediaMtx.Binary is null && !RealMediaMtx.InCi, RealMediaMtx.WhyUnavailable ?? "");
        var mediamtx = RealMediaMtx.Binary ?? throw new InvalidOperationException(RealMediaMtx.WhyUnavailable);
        var ct = DaprTestSetup.Timeout(240);
        await using var pair = await SharedFeedPair.StartAsync(mediamtx, LeaseSeconds, ct);
        try
        {
            var owner = await pair.SingleOwnerAsync(TimeSpan.FromSeconds(3), ct);
            var other = pair.Nodes.Single(n => n != owner);

            // The lease the actor keeps in Redis (the actor state store) names the instance that pulls.
            Assert.Equal(owner.Instance, await LeaseOwnerAsync(pair.Redis));

            // Commands for the camera, published by another app on the shared commands topic, all run on the owner:
            // whichever instance the consumer group hands one to, the non-owner passes it on.
            await using var aggregator = DaprdProcess.Create("aggregator", pair.Resources);
            await aggregator.StartAsync(null, ct);
            await owner.Daprd.WaitForSubscriptionAsync("videosensor.commands.videosensor", ct);
            await other.Daprd.WaitForSubscriptionAsync("videosensor.commands.videosensor", ct);
            await other.Daprd.WaitForSubscriptionAsync($"videosensor.commands.videosensor.{other.Instance}", ct);
            var ids = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid().ToString()).ToList();
            using var http = new HttpClient();
            foreach (var id in ids)
            {
                await PublishCommandAsync(http, aggregator, id, ct);
            }

            var results = new List<JsonElement>();
            foreach (var id in ids)
            {
                results.Add(await RedisStreams.WaitForAsync(pair.Redis, "videosensor.command.result", e => e.GetProperty("data").GetProperty("command_id").GetString() == id, ct, pair.Logs));
            }

            Assert.All(results, r =>
            {
                Assert.Equal(owner.Instance, r.GetProperty("data").GetProperty("instance_id").GetString());
                Assert.Equal("succeeded", r.GetProperty("data").GetProperty("outcome").GetString());
            });
            Assert.Equal(ids.Count, (await RedisStreams.CloudEventsAsync(pair.Redis, "videosensor.command.result")).Count);
            Assert.Equal(ids.Count, Directory.GetFiles(owner.Sensor.StorageRoot, "*.jpg", SearchOption.AllDirectories).Length);

            // kill -9 of the owner (service and sidecar): the other pulls within the lease plus one renewal, never both at once.
            var (takeOver, survivor) = await pair.KillOwnerAsync(owner, ct);
            Assert.Equal(other, survivor);
            var bound = TimeSpan.FromSeconds(LeaseSeconds + (LeaseSeconds / 3.0) + 10);
            Assert.True(takeOver < bound, $"take-over after {takeOver.TotalSeconds:F1} s (bound {bound.TotalSeconds} s)");

            // The restarted instance finds the feed taken and does not pull it.
            Assert.Equal(survivor, await pair.SingleOwnerAsync(TimeSpan.FromSeconds(LeaseSeconds), ct));
            Assert.Equal(survivor.Instance, await LeaseOwnerAsync(pair.Redis));
            Assert.Equal(1, pair.MostPullersAtOnce);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"{ex.Message}\n{pair.Logs()}", ex);
        }
    }

    [Fact]
    public async Task When_only_the_owners_service_is_killed_and_its_daprd_lives_on_the_other_takes_over_within_the_lease()
    {
        RealDaprCluster.Require();
        Assert.SkipWhen(RealMediaMtx.Binary is null && !RealMediaMtx.InCi, RealMediaMtx.WhyUnavailable ?? "");
        var mediamtx = RealMediaMtx.Binary ?? throw new InvalidOperationException(RealMediaMtx.WhyUnavailable);
        var ct = DaprTestSetup.Timeout(240);
        // With the app health check deploy/k8s turns on: the owner's live daprd stops hosting actors for its dead app.
        await using var pair = await SharedFeedPair.StartAsync(mediamtx, LeaseSeconds, ct, appHealthCheck: true);
        try
        {
            var owner = await pair.SingleOwnerAsync(TimeSpan.FromSeconds(3), ct);
            var other = pair.Nodes.Single(n => n != owner);
            var sidecarPid = owner.Daprd.Pid;

            // The owner's sidecar stays up (and may keep hosting the RtspFeedOwner actor): the lease still expires,
            // because only the service renews it.
            var (takeOver, survivor) = await pair.KillOwnerAsync(owner, ct, sidecarToo: false);
            Assert.Equal(other, survivor);
            Assert.Equal(sidecarPid, owner.Daprd.Pid);
            var bound = TimeSpan.FromSeconds(LeaseSeconds + (LeaseSeconds / 3.0) + 10);
            Assert.True(takeOver < bound, $"take-over after {takeOver.TotalSeconds:F1} s (bound {bound.TotalSeconds} s)");

            // The restarted service, behind the sidecar that never stopped, finds the feed taken and does not pull it.
            Assert.Equal(survivor, await pair.SingleOwnerAsync(TimeSpan.FromSeconds(LeaseSeconds), ct));
            Assert.Equal(survivor.Instance, await LeaseOwnerAsync(pair.Redis));
            Assert.Equal(1, pair.MostPullersAtOnce);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"{ex.Message}\n{pair.Logs()}", ex);
        }
    }

    private static async Task PublishCommandAsync(HttpClient http, DaprdProcess daprd, string id, CancellationToken ct)
    {
        var cloudEvent = JsonSerializer.Serialize(new
        {
            specversion = "1.0",
            id,
            source = "/tests/aggregator",
            type = "io.daprcamera.command",
            datacontenttype = "application/json",
            data = new { action = "snapshot", device = SharedFeedPair.CameraId },
        });
        using var content = new StringContent(cloudEvent, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json");
        using var response = await http.PostAsync(new Uri($"{daprd.HttpEndpoint}/v1.0/publish/pubsub/videosensor.commands.videosensor"), content, ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    /// <summary>The owner in the RtspFeedOwner actor's lease, straight from the actor state store's Redis hash.</summary>
    private static async Task<string?> LeaseOwnerAsync(RedisServer redis)
    {
        var server = redis.Connection.GetServer(redis.Address);
        foreach (var key in server.Keys(0, "*RtspFeedOwner*lease*"))
        {
            var data = await redis.Db().HashGetAsync(key, "data");
            if (!data.IsNull)
            {
                using var lease = JsonDocument.Parse((string)data!);
                return lease.RootElement.GetProperty("owner").GetString();
            }
        }

        return null;
    }
}

using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Dapr.Actors;
using Dapr.Actors.Client;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Rtsp;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Platform.FeedOwnership;
using VideoSensor.FeedOwnership;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Media;
using VideoSensor.Tests.Media.Contract;

namespace VideoSensor.Tests.Platform;

/// <summary>
/// Two instances declare the same real RTSP camera (under different camera ids) beside two fake sidecars
/// that share one actor placement and one actor state store: the service's own actor host and its calls through
/// the sidecar's actor API decide through the RtspFeedOwner actor which instance ingests the feed; the real
/// Dapr.Actors proxy calls that actor from the test side.
/// </summary>
public sealed class FeedOwnershipTests
{
    private const int LeaseSeconds = 3;
    private const string ActorType = "RtspFeedOwner";

    private static string Yaml(FakeDaprSidecar sidecar, string instance, string cameraId, RtspTestServer camera, MediaMtxDouble mtx) =>
        DaprTestSetup.DaprYaml(sidecar, instanceId: instance, leaseSeconds: LeaseSeconds) + $"""

        cameras:
          rtsp:
            - id: {cameraId}
              url: {camera.Url}
        {ExternalMediaMtx.Yaml(mtx)}
        """;

    [Fact]
    public async Task Exactly_one_instance_ingests_a_shared_feed_and_the_other_takes_over_when_it_stops()
    {
        var ct = DaprTestSetup.Timeout(90);
        await using var cluster = await Cluster.StartAsync(ct);

        var (owner, other) = await cluster.DecidedAsync(ct);
        await owner.Mtx.WaitForPathsAsync([owner.CameraId, "test0"], TimeSpan.FromSeconds(30));
        await other.ReconciledTwiceAsync();
        Assert.False(other.Mtx.Configs.ContainsKey(other.CameraId), "the non-owner must not have MediaMTX pull the feed");
        Assert.True(other.Mtx.Configs.ContainsKey("test0"), "the non-owner reconciles its other cameras");

        // What clients see on the non-owner: DISCONNECTED with the owner named.
        var listed = await other.CameraViewAsync(ct);
        Assert.Equal("DISCONNECTED", listed.GetProperty("status").GetString());
        Assert.Equal($"ingested by instance {owner.Instance}", listed.GetProperty("reason").GetString());
        await using (var operatorClient = await other.Service.ConnectAsync("operator", ct))
        {
            var refused = await operatorClient.CallAsync("take_snapshot", new { device = other.CameraId }, ct);
            Assert.Equal(-32020, refused.ErrorCode);
            Assert.Contains($"ingested by instance {owner.Instance}", refused.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal("CONNECTED", (await owner.CameraViewAsync(ct)).GetProperty("status").GetString());
        var ownerHealth = await owner.OwnershipHealthAsync(ct);
        var otherHealth = await other.OwnershipHealthAsync(ct);
        Assert.Equal(("HEALTHY", "HEALTHY"), (ownerHealth.GetProperty("status").GetString(), otherHealth.GetProperty("status").GetString()));
        Assert.StartsWith("ingests 1 RTSP feed(s); 0 ingested by no other instance", ownerHealth.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.StartsWith($"ingests 0 RTSP feed(s); 1 ingested by {owner.Instance}", otherHealth.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The lease the actor keeps in the shared actor state store.
        var lease = cluster.Lease();
        Assert.Equal(owner.Instance, lease.GetProperty("owner").GetString());
        Assert.True(lease.GetProperty("expires").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(-1));

        // The actor, through the real proxy: an intruder neither takes a live lease nor releases it.
        var proxies = new ActorProxyFactory(new ActorProxyOptions { HttpEndpoint = other.Sidecar.HttpEndpoint });
        var actor = proxies.Create(new ActorId(cluster.Key), ActorType);
        var answer = await actor.InvokeMethodAsync<FeedClaim, FeedLease>("Claim", new FeedClaim("intruder", 60), ct);
        Assert.Equal(owner.Instance, answer.Owner);
        answer = await actor.InvokeMethodAsync<FeedClaim, FeedLease>("Release", new FeedClaim("intruder", 60), ct);
        Assert.Equal(owner.Instance, answer.Owner);
        Assert.Equal(owner.Instance, cluster.Lease().GetProperty("owner").GetString());

        // A clean stop releases the lease: the other instance takes the feed over within a lease.
        var clock = Stopwatch.StartNew();
        await owner.Service.DisposeAsync();
        await CameraWait.UntilAsync(other.Registry, other.CameraId, c => c?.Status == CameraStatus.Connected, ct);
        await other.Mtx.WaitForPathsAsync([other.CameraId, "test0"], TimeSpan.FromSeconds(30));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds((LeaseSeconds * 3) + 15), $"takeover took {clock.Elapsed}");
        Assert.Equal(other.Instance, cluster.Lease().GetProperty("owner").GetString());
        Assert.Empty(cluster.Placement.Violations);
        Assert.Contains(cluster.Placement.Calls, c => c.Method == "Claim" && c.Status == 200);
        Assert.Contains(cluster.Placement.Calls, c => c.Method == "Release" && c.Status == 200);
    }

    [Fact]
    public async Task An_owner_whose_sidecar_goes_away_keeps_its_stream_and_the_other_takes_over_when_the_lease_runs_out()
    {
        var ct = DaprTestSetup.Timeout(90);
        await using var cluster = await Cluster.StartAsync(ct);
        var (owner, other) = await cluster.DecidedAsync(ct);
        await owner.Mtx.WaitForPathsAsync([owner.CameraId, "test0"], TimeSpan.FromSeconds(30));

        // The owner can no longer renew: to the cluster it is as good as dead, so its lease expires.
        await owner.Sidecar.StopAsync();
        await CameraWait.UntilAsync(other.Registry, other.CameraId, c => c?.Status == CameraStatus.Connected, ct);
        await other.Mtx.WaitForPathsAsync([other.CameraId, "test0"], TimeSpan.FromSeconds(30));
        Assert.Equal(other.Instance, cluster.Lease().GetProperty("owner").GetString());

        // The old owner did not drop its stream because of Dapr.
        await owner.ReconciledTwiceAsync();
        Assert.True(owner.Mtx.Configs.ContainsKey(owner.CameraId));
        Assert.True(owner.Service.Services.GetRequiredService<IFeedOwnership>().Owns(owner.CameraId));

        // Its sidecar is back: the next renewal tells it the feed moved, and it stops pulling.
        await owner.Sidecar.ResumeAsync();
        var moved = await CameraWait.UntilAsync(owner.Registry, owner.CameraId, c => c?.Status == CameraStatus.Disconnected, ct);
        Assert.Equal($"ingested by instance {other.Instance}", moved!.StatusReason);
        await owner.Mtx.WaitForPathsAsync(["test0"], TimeSpan.FromSeconds(30));
        Assert.True(other.Mtx.Configs.ContainsKey(other.CameraId));
        Assert.Equal(other.Instance, cluster.Lease().GetProperty("owner").GetString());
        Assert.Empty(cluster.Placement.Violations);
    }

    [Fact]
    public async Task Removing_the_feed_from_the_owner_releases_it_to_the_other_instance()
    {
        var ct = DaprTestSetup.Timeout(90);
        await using var cluster = await Cluster.StartAsync(ct);
        var (owner, other) = await cluster.DecidedAsync(ct);

        // A live configuration change without the feed (as the file watcher or the configuration store applies it).
        owner.Service.Services.GetRequiredService<RtspFeeds>().ApplyFeeds([]);
        await CameraWait.UntilAsync(other.Registry, other.CameraId, c => c?.Status == CameraStatus.Connected, ct);
        await other.Mtx.WaitForPathsAsync([other.CameraId, "test0"], TimeSpan.FromSeconds(30));
        await owner.Mtx.WaitForPathsAsync(["test0"], TimeSpan.FromSeconds(30));
        Assert.Contains(cluster.Placement.Calls, c => c.Method == "Release" && c.Status == 200);
        Assert.Equal(other.Instance, cluster.Lease().GetProperty("owner").GetString());
        Assert.Empty(cluster.Placement.Violations);
    }

    [Fact]
    public async Task Until_the_actor_answers_a_feed_is_not_pulled_and_its_status_says_why()
    {
        var ct = DaprTestSetup.Timeout(60);
        await using var camera = await RtspTestServer.StartAsync();
        // A sidecar whose cluster has no host for the actor type (the app is never registered with placement).
        await using var sidecar = await FakeDaprSidecar.StartAsync(new FakeActorPlacement());
        await using var mtx = new MediaMtxDouble();
        await using var service = await TestService.StartAsync(Yaml(sidecar, "node-a", "door", camera, mtx), cancellationToken: ct);
        var node = new Node("node-a", "door", service, sidecar, mtx);

        var waiting = await CameraWait.UntilAsync(node.Registry, "door", c => c?.StatusReason?.Contains("ERR_ACTOR", StringComparison.Ordinal) == true, ct);
        Assert.Equal(CameraStatus.Disconnected, waiting!.Status);
        Assert.StartsWith("waiting for the Dapr sidecar to decide which instance ingests this feed", waiting.StatusReason, StringComparison.Ordinal);
        await node.ReconciledTwiceAsync();
        Assert.Equal(["test0"], mtx.Configs.Keys);
        Assert.Equal("DISCONNECTED", (await node.CameraViewAsync(ct)).GetProperty("status").GetString());
        var health = await node.OwnershipHealthAsync(ct);
        Assert.Equal("DEGRADED", health.GetProperty("status").GetString());
        Assert.Contains("1 waiting for a decision; claims fail: the sidecar answered ERR_ACTOR", health.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Standalone_instances_each_ingest_every_feed_they_declare()
    {
        var ct = DaprTestSetup.Timeout(60);
        await using var camera = await RtspTestServer.StartAsync();
        await using var mtxA = new MediaMtxDouble();
        await using var mtxB = new MediaMtxDouble();
        static string Standalone(RtspTestServer camera, MediaMtxDouble mtx) => $"""
            dapr:
              mode: disabled
            cameras:
              rtsp:
                - id: door
                  url: {camera.Url}
            {ExternalMediaMtx.Yaml(mtx)}
            """;
        await using var a = await TestService.StartAsync(Standalone(camera, mtxA), cancellationToken: ct);
        await using var b = await TestService.StartAsync(Standalone(camera, mtxB), cancellationToken: ct);

        foreach (var (service, mtx) in new[] { (a, mtxA), (b, mtxB) })
        {
            Assert.IsType<LocalFeedOwnership>(service.Services.GetRequiredService<IFeedOwnership>());
            await CameraWait.UntilAsync(service.Services.GetRequiredService<CameraRegistry>(), "door", c => c?.Status == CameraStatus.Connected, ct);
            await mtx.WaitForPathsAsync(["door", "test0"], TimeSpan.FromSeconds(30));
            using var http = new HttpClient { BaseAddress = service.BaseUri };
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/dapr/config", ct)).StatusCode);
            var health = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<JsonElement>(http, "/health", ct);
            Assert.Equal("DISABLED", health.GetProperty("components").GetProperty("feed_ownership").GetProperty("status").GetString());
        }
    }

    [Fact]
    public void The_actor_id_ignores_credentials_and_spelling_of_the_same_url()
    {
        var plain = FeedKey.For(new Uri("rtsp://cam.local/stream?ch=1"));
        Assert.Equal(plain, FeedKey.For(new Uri("rtsp://user:secret@CAM.local:554/stream?ch=1")));
        Assert.NotEqual(plain, FeedKey.For(new Uri("rtsp://cam.local/stream?ch=2")));
        Assert.NotEqual(plain, FeedKey.For(new Uri("rtsp://cam.local:8554/stream?ch=1")));
        Assert.DoesNotContain("secret", FeedKey.For(new Uri("rtsp://user:secret@cam.local/stream")), StringComparison.Ordinal);
    }

    /// <summary>One instance: its service, sidecar, MediaMTX double and the id it gives the shared camera.</summary>
    private sealed record Node(string Instance, string CameraId, TestService Service, FakeDaprSidecar Sidecar, MediaMtxDouble Mtx)
    {
        public CameraRegistry Registry => Service.Services.GetRequiredService<CameraRegistry>();

        public async Task<JsonElement> CameraViewAsync(CancellationToken ct)
        {
            await using var client = await Service.ConnectAsync("viewer", ct);
            var list = (await client.CallAsync("get_camera_list", cancellationToken: ct)).EnsureSuccess();
            return list.Result.GetProperty("cameras").EnumerateArray().Single(c => c.GetProperty("device").GetString() == CameraId);
        }

        public async Task<JsonElement> OwnershipHealthAsync(CancellationToken ct)
        {
            using var http = new HttpClient { BaseAddress = Service.BaseUri };
            var health = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<JsonElement>(http, "/health", ct);
            return health.GetProperty("components").GetProperty("feed_ownership");
        }

        /// <summary>Two full passes after now, so the paths reflect the current ownership.</summary>
        public async Task ReconciledTwiceAsync()
        {
            var reconciler = Service.Services.GetRequiredService<PathReconciler>();
            await reconciler.NextReportAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await reconciler.NextReportAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        public bool Decided => Registry.TryGet(CameraId, out var c)
            && (c.Status == CameraStatus.Connected || (c.StatusReason?.StartsWith("ingested by instance", StringComparison.Ordinal) ?? false));
    }

    private sealed class Cluster : IAsyncDisposable
    {
        private readonly List<IAsyncDisposable> _parts = [];

        public FakeActorPlacement Placement { get; } = new();
        public string Key { get; private set; } = "";
        public Node A { get; private set; } = null!;
        public Node B { get; private set; } = null!;

        public static async Task<Cluster> StartAsync(CancellationToken ct)
        {
            var cluster = new Cluster();
            try
            {
                var camera = await RtspTestServer.StartAsync();
                cluster._parts.Add(camera);
                cluster.Key = FeedKey.For(new Uri(camera.Url));
                cluster.A = await cluster.NodeAsync("node-a", "door-a", camera, ct);
                cluster.B = await cluster.NodeAsync("node-b", "door-b", camera, ct);
                return cluster;
            }
            catch
            {
                // A failed start stops what it had started (the camera server is a child process).
                await cluster.DisposeAsync();
                throw;
            }
        }

        /// <summary>Waits until both instances know who owns the feed; returns (owner, other).</summary>
        public async Task<(Node Owner, Node Other)> DecidedAsync(CancellationToken ct)
        {
            foreach (var node in new[] { A, B })
            {
                await CameraWait.UntilAsync(node.Registry, node.CameraId, _ => node.Decided, ct);
            }

            var aOwns = A.Registry.TryGet(A.CameraId, out var a) && a.Status == CameraStatus.Connected;
            var bOwns = B.Registry.TryGet(B.CameraId, out var b) && b.Status == CameraStatus.Connected;
            Assert.True(aOwns ^ bOwns, $"exactly one instance must ingest: A {a?.Status} ({a?.StatusReason}), B {b?.Status} ({b?.StatusReason})");
            return aOwns ? (A, B) : (B, A);
        }

        public JsonElement Lease() =>
            Placement.StateOf("sensor-a", ActorType, Key, "lease") ?? throw new InvalidOperationException($"no lease in the actor state store: {string.Join(", ", Placement.State.Keys)}");

        public async ValueTask DisposeAsync()
        {
            // Services first (they release through their sidecars), then sidecars and doubles, the camera last.
            for (var i = _parts.Count - 1; i >= 0; i--)
            {
                await _parts[i].DisposeAsync();
            }
        }

        private async Task<Node> NodeAsync(string instance, string cameraId, RtspTestServer camera, CancellationToken ct)
        {
            var sidecar = await FakeDaprSidecar.StartAsync(Placement);
            sidecar.State.AppId = "sensor-a";
            _parts.Add(sidecar);
            var mtx = new MediaMtxDouble();
            _parts.Add(mtx);
            var service = await TestService.StartAsync(Yaml(sidecar, instance, cameraId, camera, mtx), cancellationToken: ct);
            _parts.Add(service);
            await sidecar.ConnectAppAsync(service.BaseUri, ct);
            return new Node(instance, cameraId, service, sidecar, mtx);
        }
    }
}

using System.Diagnostics;
using System.Globalization;

namespace VideoSensor.Tests.Fixtures.Dapr;

/// <summary>
/// Two sensor processes, each with its own real daprd and MediaMTX, sharing one placement, one Redis and one
/// GStreamer RTSP camera declared by both (camera id <c>door</c>) with actor feed ownership on. Who pulls the camera
/// is read from the kernel (<see cref="RtspPullers"/>): a MediaMTX whose parent is that sensor. Used by the
/// failover test and by the failover benchmark.
/// </summary>
public sealed class SharedFeedPair : IAsyncDisposable
{
    public const string CameraId = "door";
    private readonly List<IAsyncDisposable> _owned = [];

    private SharedFeedPair(RedisServer redis, PlacementServer placement, DaprResources resources, RtspTestServer camera, int leaseSeconds)
    {
        Redis = redis;
        Placement = placement;
        Resources = resources;
        Camera = camera;
        LeaseSeconds = leaseSeconds;
    }

    public RedisServer Redis { get; }
    public PlacementServer Placement { get; }
    public DaprResources Resources { get; }
    public RtspTestServer Camera { get; }
    public int LeaseSeconds { get; }
    public Node[] Nodes { get; private set; } = [];

    /// <summary>One sensor and its sidecar.</summary>
    public sealed record Node(SensorProcess Sensor, DaprdProcess Daprd)
    {
        public string Instance => Sensor.Instance;
    }

    /// <summary>The most MediaMTX processes seen pulling the camera at one time, over every sample taken so far.</summary>
    public int MostPullersAtOnce { get; private set; }

    public static async Task<SharedFeedPair> StartAsync(string mediaMtxBinary, int leaseSeconds, CancellationToken ct, bool appHealthCheck = false)
    {
        var camera = await RtspTestServer.StartAsync();
        var redis = await RedisServer.StartAsync(ct);
        var placement = await PlacementServer.StartAsync(ct);
        var pair = new SharedFeedPair(redis, placement, DaprResources.For(redis), camera, leaseSeconds);
        try
        {
            pair.Nodes = [pair.CreateNode("node-a", mediaMtxBinary), pair.CreateNode("node-b", mediaMtxBinary)];
            foreach (var node in pair.Nodes)
            {
                if (appHealthCheck)
                {
                    node.Daprd.EnableAppHealthCheck();
                }

                await node.Sensor.StartAsync(pair.Sections(node, mediaMtxBinary), ct);
                await node.Daprd.StartAsync(node.Sensor.Port, ct);
            }
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }

        return pair;
    }

    /// <summary>The sensors whose MediaMTX pulls the camera now (also records <see cref="MostPullersAtOnce"/>).</summary>
    public IReadOnlyList<Node> Pulling()
    {
        var pullers = RtspPullers.Of(Camera.Port).Where(p => p.Name == "mediamtx").ToList();
        MostPullersAtOnce = Math.Max(MostPullersAtOnce, pullers.Count);
        return [.. Nodes.Where(n => n.Sensor.Running && pullers.Any(p => p.ParentPid == n.Sensor.Pid))];
    }

    /// <summary>Samples every 50 ms until exactly one sensor pulls and has done so for <paramref name="stableFor"/>; returns it.</summary>
    public async Task<Node> SingleOwnerAsync(TimeSpan stableFor, CancellationToken ct)
    {
        Node? candidate = null;
        var since = Stopwatch.StartNew();
        while (true)
        {
            var pulling = Pulling();
            var now = pulling.Count == 1 ? pulling[0] : null;
            if (now != candidate)
            {
                candidate = now;
                since.Restart();
            }
            else if (candidate is not null && since.Elapsed >= stableFor)
            {
                return candidate;
            }

            await Task.Delay(50, ct);
        }
    }

    /// <summary>
    /// SIGKILL to the owner's service and its daprd at once (the pod dies) — or, with <paramref name="sidecarToo"/> false,
    /// to the service alone while its daprd lives on (the app container crashes) — then samples until the other sensor
    /// pulls the camera. Returns the time from the kill to the survivor's first pull. The killed parts are started again
    /// afterwards.
    /// </summary>
    public async Task<(TimeSpan TakeOver, Node Survivor)> KillOwnerAsync(Node owner, CancellationToken ct, bool sidecarToo = true)
    {
        var survivor = Nodes.Single(n => n != owner);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(owner.Sensor.KillAsync(), sidecarToo ? owner.Daprd.KillAsync() : Task.CompletedTask);
        while (!Pulling().Contains(survivor))
        {
            await Task.Delay(50, ct);
        }

        var takeOver = clock.Elapsed;
        if (sidecarToo)
        {
            await owner.Daprd.StartAgainAsync(ct);
        }

        await owner.Sensor.StartAgainAsync(ct);
        return (takeOver, survivor);
    }

    public string Logs() => string.Join("\n", Nodes.Select(n => $"--- {n.Instance} (pid {n.Sensor.Pid})\n{Tail(n.Sensor.Output)}\n--- daprd {n.Instance}\n{Tail(n.Daprd.Output)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        await Placement.DisposeAsync();
        await Redis.DisposeAsync();
        await Camera.DisposeAsync();
        Resources.Dispose();
    }

    private Node CreateNode(string instance, string mediaMtxBinary)
    {
        var sensor = SensorProcess.Create(instance);
        var daprd = DaprdProcess.Create("videosensor", Resources, Placement.Address);
        // Stopped in reverse: the sidecar after its app.
        _owned.Add(daprd);
        _owned.Add(sensor);
        return new Node(sensor, daprd);
    }

    private string Sections(Node node, string mediaMtxBinary) => string.Create(CultureInfo.InvariantCulture, $"""
        cameras:
          rtsp:
            - id: {CameraId}
              url: {Camera.Url}
        {RealMediaMtx.Yaml(mediaMtxBinary, RealMediaMtx.Ports.Allocate())}
        dapr:
          mode: required
          grpc_endpoint: {node.Daprd.GrpcEndpoint}
          http_endpoint: {node.Daprd.HttpEndpoint}
          app_id: videosensor
          instance_id: {node.Instance}
          feed_ownership: true
          feed_lease_seconds: {LeaseSeconds}
          probe_seconds: 1
          heartbeat_seconds: 5
          call_timeout_ms: 2000
        """);

    private static string Tail(string text) => text.Length > 6000 ? text[^6000..] : text;
}

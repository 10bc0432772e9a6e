using System.Globalization;

using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Fixtures.Dapr;

namespace VideoSensor.Tests.Platform.RealDapr;

/// <summary>
/// Redis, (optionally) placement and the repository's components for one test; sidecars are added per app. Disposing
/// stops every sidecar, then placement, then Redis, each by its PID.
/// </summary>
public sealed class RealDaprCluster : IAsyncDisposable
{
    private readonly List<DaprdProcess> _sidecars = [];

    private RealDaprCluster(RedisServer redis, PlacementServer? placement, DaprResources resources)
    {
        Redis = redis;
        Placement = placement;
        Resources = resources;
    }

    public RedisServer Redis { get; }
    public PlacementServer? Placement { get; }
    public DaprResources Resources { get; }

    /// <summary>Skips the test with the reason where the tools are missing; fails it in CI, where they must run.</summary>
    public static void Require()
    {
        if (RealDaprTools.WhyUnavailable is not { } reason)
        {
            return;
        }

        if (RealMediaMtx.InCi)
        {
            Assert.Fail($"CI must run the real-sidecar tests: {reason}");
        }

        Assert.Skip(reason);
    }

    /// <summary>Skips (or fails in CI) without the tools, then starts Redis, placement when asked, and the resources.</summary>
    public static async Task<RealDaprCluster> StartAsync(CancellationToken ct, bool placement = false)
    {
        Require();
        var redis = await RedisServer.StartAsync(ct);
        try
        {
            var placementServer = placement ? await PlacementServer.StartAsync(ct) : null;
            return new RealDaprCluster(redis, placementServer, DaprResources.For(redis));
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }
    }

    /// <summary>A sidecar with its ports chosen and this cluster's placement (when started); the test starts it for its app.</summary>
    public DaprdProcess Sidecar(string appId, string? localApps = null)
    {
        var daprd = DaprdProcess.Create(appId, Resources, Placement?.Address, localApps);
        _sidecars.Add(daprd);
        return daprd;
    }

    /// <summary>The <c>dapr:</c> section of a sensor talking to <paramref name="daprd"/>.</summary>
    public static string SensorYaml(DaprdProcess daprd, string instanceId = "node-1", bool feedOwnership = false, int leaseSeconds = 15, int heartbeatSeconds = 1, string extra = "") => string.Create(CultureInfo.InvariantCulture, $"""
        dapr:
          mode: required
          grpc_endpoint: {daprd.GrpcEndpoint}
          http_endpoint: {daprd.HttpEndpoint}
          app_id: {daprd.AppId}
          instance_id: {instanceId}
          feed_ownership: {(feedOwnership ? "true" : "false")}
          feed_lease_seconds: {leaseSeconds}
          probe_seconds: 1
          heartbeat_seconds: {heartbeatSeconds}
          call_timeout_ms: 2000
        {extra}
        """);

    /// <summary>What every child printed, for a failure message.</summary>
    public string Logs() => string.Join("\n", _sidecars.Select(s => $"--- daprd {s.AppId} (pid {s.Pid})\n{s.Output}")) + $"\n--- placement\n{Placement?.Output}";

    public async ValueTask DisposeAsync()
    {
        foreach (var sidecar in _sidecars)
        {
            await sidecar.DisposeAsync();
        }

        if (Placement is not null)
        {
            await Placement.DisposeAsync();
        }

        await Redis.DisposeAsync();
        Resources.Dispose();
    }
}

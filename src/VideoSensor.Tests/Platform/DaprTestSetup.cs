namespace VideoSensor.Tests.Platform;

/// <summary>YAML for a service that talks to a (fake) sidecar, set per test through the config, not process-wide env.</summary>
internal static class DaprTestSetup
{
    /// <summary>Feed ownership is off unless the sidecar serves actors: these tests are about other parts of Dapr.</summary>
    public static string DaprYaml(FakeDaprSidecar sidecar, string extra = "", int heartbeatSeconds = 1, string instanceId = "node-1", int leaseSeconds = 15) => $"""
        dapr:
          mode: required
          grpc_endpoint: {sidecar.GrpcEndpoint}
          http_endpoint: {(sidecar.Placement is null ? "http://127.0.0.1:1" : sidecar.HttpEndpoint)}
          app_id: sensor-a
          instance_id: {instanceId}
          feed_ownership: {(sidecar.Placement is null ? "false" : "true")}
          feed_lease_seconds: {leaseSeconds}
          probe_seconds: 1
          heartbeat_seconds: {heartbeatSeconds}
          call_timeout_ms: 1000
          secret_cache_seconds: 0
        {extra}
        limits:
          max_streams: 4
        """;

    public static string TestPattern(string id = "cam0") => $"""
        cameras:
          test_patterns:
            - id: {id}
              resolution: 320x240
              fps: 10
        """;

    public static CancellationToken Timeout(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}

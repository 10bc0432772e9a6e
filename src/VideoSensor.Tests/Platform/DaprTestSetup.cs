namespace VideoSensor.Tests.Platform;

/// <summary>YAML for a service that talks to a (fake) sidecar, set per test through the config, not process-wide env.</summary>
internal static class DaprTestSetup
{
    public static string DaprYaml(FakeDaprSidecar sidecar, string extra = "", int heartbeatSeconds = 1) => $"""
        dapr:
          mode: required
          grpc_endpoint: {sidecar.GrpcEndpoint}
          http_endpoint: http://127.0.0.1:1
          app_id: sensor-a
          instance_id: node-1
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

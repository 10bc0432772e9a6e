using VideoSensor.Media.Capacity;
using Microsoft.Extensions.Options;
using VideoSensor.Contracts;
using VideoSensor.Cameras;
using VideoSensor.Configuration;
using VideoSensor.Health;
using VideoSensor.Media;
using VideoSensor.Platform.Dapr;

namespace VideoSensor.Platform.Registration;

/// <summary>What the platform is told about this sensor: identity, endpoints, capabilities, inventory, capacity.</summary>
internal sealed class SensorDescription(
    DaprSidecar sidecar,
    CameraRegistry registry,
    IMethodDirectory methods,
    StreamUrls urls,
    IStreamCapacity capacity,
    IOptions<ServerOptions> server,
    IOptions<DaprOptions> dapr)
{
    public SensorRegistered Registered() => new(
        sidecar.InstanceId,
        sidecar.AppId,
        HealthReporter.Version,
        Endpoints(),
        new SensorCapabilities(
            methods.MethodNames,
            [.. registry.List().Select(c => c.Kind.ToString().ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal)],
            ["jpg", "png"],
            CameraCommandsTopic(),
            CameraCommandsTopic() is null || dapr.Value.InstanceCommandsTopic.Length == 0 ? null : DaprTopics.InstanceCommands(dapr.Value, sidecar)),
        Cameras(),
        Capacity());

    public SensorHeartbeat Heartbeat(HealthReport health) => new(
        sidecar.InstanceId,
        sidecar.AppId,
        health.Status,
        Math.Round(health.Uptime, 3),
        health.Components.ToDictionary(c => c.Key, c => c.Value.Status, StringComparer.Ordinal),
        Capacity(),
        Cameras());

    public SensorDeregistered Deregistered(string reason) => new(sidecar.InstanceId, sidecar.AppId, reason);

    private SensorEndpoints Endpoints()
    {
        var s = server.Value;
        var host = urls.Host;
        return new SensorEndpoints(
            $"ws://{host}:{s.Port}{s.WebSocketPath}",
            $"http://{host}:{s.Port}/api/v1",
            $"http://{host}:{(s.HealthPort > 0 ? s.HealthPort : s.Port)}/health",
            $"{sidecar.AppId}/api/v1/capabilities");
    }

    private List<SensorCamera> Cameras() =>
        [.. registry.List().Select(c => new SensorCamera(c.Id, c.Kind.ToString().ToLowerInvariant(), c.Name, c.Status.ToWire()))];

    private SensorCapacity Capacity() => new(capacity.MaxStreams, capacity.ActiveStreams, registry.List().Count);

    private string? CameraCommandsTopic() => DaprTopics.Commands(dapr.Value, sidecar) is { Length: > 0 } topic ? topic : null;
}

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
    public Dictionary<string, object?> Registered() => new()
    {
        ["instance_id"] = sidecar.InstanceId,
        ["app_id"] = sidecar.AppId,
        ["version"] = HealthReporter.Version,
        ["endpoints"] = Endpoints(),
        ["capabilities"] = new Dictionary<string, object?>
        {
            ["methods"] = methods.MethodNames,
            ["camera_kinds"] = registry.List().Select(c => c.Kind.ToString().ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToList(),
            ["snapshot_formats"] = new[] { "jpg", "png" },
            ["commands"] = CameraCommandsTopic(),
            ["instance_commands"] = CameraCommandsTopic() is null || dapr.Value.InstanceCommandsTopic.Length == 0 ? null : DaprTopics.InstanceCommands(dapr.Value, sidecar),
        },
        ["cameras"] = Cameras(),
        ["capacity"] = Capacity(),
    };

    public Dictionary<string, object?> Heartbeat(HealthReport health) => new()
    {
        ["instance_id"] = sidecar.InstanceId,
        ["app_id"] = sidecar.AppId,
        ["status"] = health.Status,
        ["uptime"] = Math.Round(health.Uptime, 3),
        ["components"] = health.Components.ToDictionary(c => c.Key, c => (object?)c.Value.Status, StringComparer.Ordinal),
        ["capacity"] = Capacity(),
        ["cameras"] = Cameras(),
    };

    public Dictionary<string, object?> Deregistered(string reason) => new()
    {
        ["instance_id"] = sidecar.InstanceId,
        ["app_id"] = sidecar.AppId,
        ["reason"] = reason,
    };

    private Dictionary<string, object?> Endpoints()
    {
        var s = server.Value;
        var host = urls.Host;
        return new Dictionary<string, object?>
        {
            ["websocket"] = $"ws://{host}:{s.Port}{s.WebSocketPath}",
            ["rest"] = $"http://{host}:{s.Port}/api/v1",
            ["health"] = $"http://{host}:{(s.HealthPort > 0 ? s.HealthPort : s.Port)}/health",
            ["dapr_invoke"] = $"{sidecar.AppId}/api/v1/capabilities",
        };
    }

    private List<Dictionary<string, object?>> Cameras() => [.. registry.List().Select(c => new Dictionary<string, object?>
    {
        ["device"] = c.Id,
        ["kind"] = c.Kind.ToString().ToLowerInvariant(),
        ["name"] = c.Name,
        ["status"] = c.Status.ToWire(),
    })];

    private Dictionary<string, object?> Capacity() => new()
    {
        ["max_streams"] = capacity.MaxStreams,
        ["active_streams"] = capacity.ActiveStreams,
        ["cameras"] = registry.List().Count,
    };

    private string? CameraCommandsTopic() => DaprTopics.Commands(dapr.Value, sidecar) is { Length: > 0 } topic ? topic : null;
}

using VideoSensor.Health;

namespace VideoSensor.Cameras;

/// <summary>The camera inventory, and how many cameras are in trouble.</summary>
internal sealed class CameraHealthCheck(CameraRegistry registry) : IComponentHealthCheck
{
    public string Name => "camera_monitor";
    public bool Critical => false;

    public ValueTask<ComponentHealth> CheckAsync(CancellationToken cancellationToken)
    {
        var cameras = registry.List();
        var failing = cameras.Count(c => c.Status == CameraStatus.Error);
        var connected = cameras.Count(c => c.Status == CameraStatus.Connected);
        return ValueTask.FromResult(new ComponentHealth(failing > 0 ? ComponentHealth.Degraded : ComponentHealth.Healthy, $"{connected} of {cameras.Count} cameras connected, {failing} in error"));
    }
}

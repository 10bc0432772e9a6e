using VideoSensor.Health;

namespace VideoSensor.Media.MediaMtx;

/// <summary>The <c>mediamtx</c> component of /health and get_status. Not critical: snapshots and recordings of RTSP feeds work without it.</summary>
internal sealed class MediaMtxHealthCheck(MediaMtxState state) : IComponentHealthCheck
{
    public string Name => "mediamtx";
    public bool Critical => false;

    public ValueTask<ComponentHealth> CheckAsync(CancellationToken cancellationToken)
    {
        var s = state.Status;
        var health = s.Phase switch
        {
            MediaMtxPhase.Running => new ComponentHealth(ComponentHealth.Healthy, $"running{(s.Version is null ? "" : $" {s.Version}")}{(s.Pid is null ? "" : $", pid {s.Pid}")}, restarts {s.Restarts}"),
            MediaMtxPhase.Disabled => new ComponentHealth(ComponentHealth.Disabled, s.Reason),
            MediaMtxPhase.Stopped => new ComponentHealth(ComponentHealth.Stopped, s.Reason),
            _ => new ComponentHealth(ComponentHealth.Degraded, $"{s.Phase.ToString().ToLowerInvariant()}: {s.Reason}"),
        };
        return ValueTask.FromResult(health);
    }
}

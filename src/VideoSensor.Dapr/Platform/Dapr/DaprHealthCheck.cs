using VideoSensor.Health;

namespace VideoSensor.Platform.Dapr;

/// <summary>
/// The sidecar as a health component. Critical only with <c>dapr.mode: required</c>: there the operator said the
/// sensor is of no use without its sidecar, so readiness goes down (503, with the reason) while it is away; in
/// <c>auto</c> the sensor still serves its clients and readiness only reports DEGRADED. Liveness never looks at
/// it. DISABLED when running standalone.
/// </summary>
internal sealed class DaprHealthCheck(DaprSidecar sidecar, SidecarMonitor monitor, DaprEventPublisher publisher) : IComponentHealthCheck
{
    public string Name => "dapr";
    public bool Critical => sidecar.IsRequired;

    public ValueTask<ComponentHealth> CheckAsync(CancellationToken cancellationToken)
    {
        if (!sidecar.IsActive)
        {
            return ValueTask.FromResult(new ComponentHealth(ComponentHealth.Disabled, $"standalone (dapr.mode {sidecar.Mode}, no sidecar announced)"));
        }

        var backlog = $", {publisher.Pending} events waiting, {publisher.Dropped} dropped";
        return ValueTask.FromResult(monitor.IsAvailable
            ? new ComponentHealth(ComponentHealth.Healthy, $"sidecar {sidecar.GrpcEndpoint} app-id {monitor.Info?.AppId ?? sidecar.AppId}{backlog}")
            : new ComponentHealth(sidecar.IsRequired ? ComponentHealth.Unhealthy : ComponentHealth.Degraded, $"sidecar {sidecar.GrpcEndpoint} not answering: {monitor.LastError ?? "not checked yet"}{backlog}"));
    }
}

using VideoSensor.Health;

namespace VideoSensor.Api.JsonRpc;

/// <summary>The control plane is accepting connections.</summary>
internal sealed class WebSocketHealthCheck(RpcConnections connections, StartupState startup) : IComponentHealthCheck
{
    public string Name => "websocket_server";
    public bool Critical => true;

    public ValueTask<ComponentHealth> CheckAsync(CancellationToken cancellationToken) => ValueTask.FromResult(startup.IsReady
        ? new ComponentHealth(ComponentHealth.Healthy, $"{connections.Count} connections")
        : new ComponentHealth(ComponentHealth.Degraded, "starting"));
}

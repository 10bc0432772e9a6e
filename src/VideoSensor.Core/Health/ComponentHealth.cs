namespace VideoSensor.Health;

/// <summary>The state of one part of the service, as the health endpoints and <c>get_status</c> show it.</summary>
internal sealed record ComponentHealth(string Status, string? Detail = null)
{
    public const string Healthy = "HEALTHY";
    public const string Degraded = "DEGRADED";
    public const string Unhealthy = "UNHEALTHY";
    public const string Stopped = "STOPPED";
    public const string Disabled = "DISABLED";
}

/// <summary>A part of the service that can say how it is.</summary>
internal interface IComponentHealthCheck
{
    string Name { get; }

    /// <summary>False when the service can still serve without this part (its failure only degrades).</summary>
    bool Critical { get; }

    ValueTask<ComponentHealth> CheckAsync(CancellationToken cancellationToken);
}

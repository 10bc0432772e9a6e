using VideoSensor.Health;

namespace VideoSensor.Recording;

/// <summary>
/// The <c>recording_catalog</c> component: how far the start-up warm-up of the probe cache has come. Healthy
/// while it runs (listings work, they only may answer some durations later); not critical.
/// </summary>
internal sealed class RecordingCatalogHealthCheck(ProbeCacheWarmup warmup) : IComponentHealthCheck
{
    public string Name => "recording_catalog";
    public bool Critical => false;

    public ValueTask<ComponentHealth> CheckAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ComponentHealth(ComponentHealth.Healthy, warmup.Summary));
}

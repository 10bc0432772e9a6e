using Microsoft.Extensions.Options;
using VideoSensor.Health;

namespace VideoSensor.Storage;

/// <summary>The storage root is writable and has room (thresholds from <c>storage.low_space_percent</c> / <c>block_space_percent</c>).</summary>
internal sealed class StorageHealthCheck(IOptions<StorageOptions> options, StorageSpace space) : IComponentHealthCheck
{
    public string Name => "storage";
    public bool Critical => false;

    public ValueTask<ComponentHealth> CheckAsync(CancellationToken cancellationToken)
    {
        var root = options.Value.RootPath;
        try
        {
            Directory.CreateDirectory(root);
            var probe = Path.Combine(root, ".health-probe");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
            var reading = space.Read();
            return ValueTask.FromResult(reading.Level switch
            {
                SpaceLevel.Blocked => new ComponentHealth(ComponentHealth.Degraded, $"only {reading.FreePercent:0.#}% free: new recordings are refused"),
                SpaceLevel.Low => new ComponentHealth(ComponentHealth.Degraded, $"only {reading.FreePercent:0.#}% free"),
                _ => new ComponentHealth(ComponentHealth.Healthy, $"{reading.FreePercent:0.#}% free"),
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ValueTask.FromResult(new ComponentHealth(ComponentHealth.Unhealthy, $"storage root is not writable: {ex.GetType().Name}"));
        }
    }
}

using VideoSensor.Health;
using Microsoft.Extensions.Options;
using VideoSensor.Api.JsonRpc;
using VideoSensor.Cameras;
using VideoSensor.Media;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Storage;

namespace VideoSensor.Hosting.Health;

/// <summary>ffmpeg is there: without it no snapshot, recording or USB stream works.</summary>
internal sealed class FfmpegHealthCheck(IOptions<MediaOptions> options) : IComponentHealthCheck
{
    public string Name => "ffmpeg";
    public bool Critical => true;

    public ValueTask<ComponentHealth> CheckAsync(CancellationToken cancellationToken) => ValueTask.FromResult(
        FfmpegLocator.Find(options.Value.FfmpegPath) is { } path
            ? new ComponentHealth(ComponentHealth.Healthy, path)
            : new ComponentHealth(ComponentHealth.Unhealthy, new MissingToolException(options.Value.FfmpegPath).Message));
}

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

/// <summary>The control plane is accepting connections.</summary>
internal sealed class WebSocketHealthCheck(RpcConnections connections, StartupState startup) : IComponentHealthCheck
{
    public string Name => "websocket_server";
    public bool Critical => true;

    public ValueTask<ComponentHealth> CheckAsync(CancellationToken cancellationToken) => ValueTask.FromResult(startup.IsReady
        ? new ComponentHealth(ComponentHealth.Healthy, $"{connections.Count} connections")
        : new ComponentHealth(ComponentHealth.Degraded, "starting"));
}

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

using Microsoft.Extensions.Options;
using VideoSensor.Health;

namespace VideoSensor.Media.Ffmpeg;

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

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace VideoSensor.Cameras.TestPattern;

/// <summary>Puts the configured test-pattern cameras into the registry. They are always connected: ffmpeg makes the picture.</summary>
internal sealed class TestPatternCameras(CameraRegistry registry, IOptions<CamerasOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var pattern in options.Value.TestPatterns)
        {
            registry.Upsert(ToCamera(pattern));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal static Camera ToCamera(TestPatternCameraOptions options)
    {
        Resolution.TryParse(options.Resolution, out var resolution);
        var source = new TestPatternSource(options.Pattern, resolution, options.Fps, options.Audio.Enabled);
        var capabilities = new CameraCapabilities(["h264", "yuv420p"], [resolution], [options.Fps], ["snapshot", "streaming", "recording"], "validated");
        return new Camera(options.Id, CameraKind.TestPattern, options.Name, CameraStatus.Connected, resolution, options.Fps, source, capabilities);
    }
}

using Microsoft.Extensions.Hosting;
using VideoSensor.Media;
using VideoSensor.Events;

namespace VideoSensor.Cameras;

/// <summary>Turns registry changes into camera events for every sink.</summary>
internal sealed class CameraEvents(CameraRegistry registry, EventHub events, StreamUrls urls) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        registry.Changed += OnChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        registry.Changed -= OnChanged;
        return Task.CompletedTask;
    }

    private void OnChanged(CameraChange change)
    {
        var camera = change.Camera;
        var streams = StreamLinks.For(urls, camera.Id);
        var previous = change.Previous is { } before && before.Status != camera.Status ? before.Status : (CameraStatus?)null;
        events.Publish(change.Kind switch
        {
            CameraChangeKind.Connected => new CameraConnected(camera, streams, previous),
            CameraChangeKind.Disconnected or CameraChangeKind.Removed => new CameraDisconnected(camera, streams, previous),
            _ => new CameraStatusChanged(camera, streams, previous),
        });
    }
}

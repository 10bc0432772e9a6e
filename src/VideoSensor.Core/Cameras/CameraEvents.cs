using Microsoft.Extensions.Hosting;
using VideoSensor.Media;
using VideoSensor.Events;

namespace VideoSensor.Cameras;

/// <summary>Turns registry changes into <c>camera.*</c> events for every sink.</summary>
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
        var topic = change.Kind switch
        {
            CameraChangeKind.Connected => EventTopics.CameraConnected,
            CameraChangeKind.Disconnected or CameraChangeKind.Removed => EventTopics.CameraDisconnected,
            _ => EventTopics.CameraStatusChange,
        };
        var data = CameraView.From(change.Camera, urls).ToEventData();
        if (change.Previous is { } previous && previous.Status != change.Camera.Status)
        {
            data["previous_status"] = previous.Status.ToWire();
        }

        events.Publish(topic, change.Camera.Id, data);
    }
}

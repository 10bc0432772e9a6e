namespace VideoSensor.Events;

/// <summary>
/// Sends events to the platform (Dapr pub/sub). Standalone, there is no platform and events are only
/// for local clients, so the local implementation does nothing. Never blocks the caller.
/// </summary>
internal interface IPlatformPublisher
{
    /// <summary>False when there is no platform to publish to.</summary>
    bool Enabled { get; }

    /// <summary>Queues one event for the platform; order is kept.</summary>
    void Enqueue(SensorEvent sensorEvent);

    /// <summary>Waits (at most until <paramref name="cancellationToken"/>) until everything queued so far was delivered.</summary>
    Task<bool> FlushAsync(CancellationToken cancellationToken);
}

/// <summary>Standalone: no platform.</summary>
internal sealed class NoPlatformPublisher : IPlatformPublisher
{
    public bool Enabled => false;

    public void Enqueue(SensorEvent sensorEvent)
    {
    }

    public Task<bool> FlushAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    /// <summary>The event sink standalone: nothing to send.</summary>
    internal sealed class Sink : IEventSink
    {
        public void Publish(SensorEvent sensorEvent)
        {
        }
    }
}

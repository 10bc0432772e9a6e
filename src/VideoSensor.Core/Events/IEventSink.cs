namespace VideoSensor.Events;

/// <summary>Receives every event. Implementations must return quickly (queue, never block the publisher).</summary>
internal interface IEventSink
{
    void Publish(SensorEvent sensorEvent);
}

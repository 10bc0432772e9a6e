namespace VideoSensor.Events;

/// <summary>
/// Something that happened in the sensor, as the core raises it: one record type per kind of event, with domain
/// names and types (<see cref="TimeSpan"/>, bytes as <see cref="long"/>). What the event is called on the wire and
/// which fields it carries there is the transports' business (<c>EventContract/EventWire</c>), never the core's.
/// </summary>
/// <param name="CameraId">The camera it is about; null for events about the whole service.</param>
internal abstract record SensorEvent(string? CameraId)
{
    /// <summary>When it happened; <see cref="EventHub"/> stamps it when the event is published.</summary>
    public DateTimeOffset Time { get; init; }
}

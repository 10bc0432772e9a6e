using System.Text.Json;
using VideoSensor.EventContract;
using VideoSensor.Events;

namespace VideoSensor.Platform.Dapr;

/// <summary>
/// A message only the platform gets (<c>sensor.registered</c>, <c>sensor.heartbeat</c>, <c>sensor.deregistered</c>,
/// <c>command.result</c>): not a domain event, so it names its topic and carries its payload record itself.
/// </summary>
internal sealed record PlatformEvent(string Topic, string? Device, EventData Data) : SensorEvent(Device)
{
    public WireEvent ToWire()
    {
        var data = Data with { Device = Device, Timestamp = EventWire.Timestamp(Time) };
        return new WireEvent(Topic, Device, Time, JsonSerializer.SerializeToElement(data, data.GetType(), PlatformJson.Default));
    }
}

using System.Text.Json;
using VideoSensor.Contracts;
using VideoSensor.EventContract;
using VideoSensor.Events;

namespace VideoSensor.Platform.Dapr;

/// <summary>
/// A message only the platform gets (<c>sensor.registered</c>, <c>sensor.heartbeat</c>, <c>sensor.deregistered</c>,
/// <c>command.result</c>): not a domain event, so it carries its topic and wire fields itself.
/// </summary>
internal sealed record PlatformEvent(string Topic, string? Device, IReadOnlyDictionary<string, object?> Data) : SensorEvent(Device)
{
    public WireEvent ToWire()
    {
        var data = new Dictionary<string, object?>(Data)
        {
            ["device"] = Device,
            ["timestamp"] = EventWire.Timestamp(Time),
        };
        return new WireEvent(Topic, Device, Time, JsonSerializer.SerializeToElement(data, ApiJson.Options));
    }
}

using System.Buffers;
using System.Text.Json;
using VideoSensor.EventContract;
using VideoSensor.Events;

namespace VideoSensor.Api.JsonRpc;

/// <summary>
/// Delivers events to WebSocket clients: the topic event (as <see cref="EventWire"/> writes it) to connections
/// subscribed to it (with their device filter), and the status notifications of the contract to every
/// authenticated connection. Each event is written to JSON once, whatever the number of connections.
/// </summary>
internal sealed class NotificationSink(RpcConnections connections) : IEventSink
{
    public void Publish(SensorEvent sensorEvent)
    {
        if (EventWire.ToWire(sensorEvent) is not { } wire)
        {
            return;
        }

        var status = StatusNotification(wire);
        foreach (var connection in connections.All)
        {
            if (!connection.Session.IsAuthenticated)
            {
                continue;
            }

            if (status is { } s)
            {
                connection.Notify(s.Method, s.Params);
            }

            if (connection.Session.Wants(wire.Topic, wire.Device))
            {
                connection.Notify(wire.Topic, wire.Data);
            }
        }
    }

    private static (string Method, JsonElement Params)? StatusNotification(WireEvent e)
    {
        if (e.Topic.StartsWith("camera.", StringComparison.Ordinal))
        {
            return (RpcNotifications.CameraStatusUpdate, Pick(e, RpcNotifications.Fields<CameraStatusUpdateParams>()));
        }

        if (e.Topic is EventTopics.RecordingStart or EventTopics.RecordingStop or EventTopics.RecordingError)
        {
            return (RpcNotifications.RecordingStatusUpdate, Pick(e, RpcNotifications.Fields<RecordingStatusUpdateParams>()));
        }

        return e.Topic == EventTopics.SystemHealth ? (RpcNotifications.SystemHealthUpdate, Pick(e, RpcNotifications.Fields<SystemHealthUpdateParams>())) : null;
    }

    /// <summary>The named fields of the topic event, in the notification's order; a field the event lacks is null.</summary>
    private static JsonElement Pick(WireEvent e, IReadOnlyList<string> keys)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var key in keys)
            {
                writer.WritePropertyName(key);
                if (e.Data.TryGetProperty(key, out var value))
                {
                    value.WriteTo(writer);
                }
                else
                {
                    writer.WriteNullValue();
                }
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}

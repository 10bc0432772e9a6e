using VideoSensor.Platform.Events;

namespace VideoSensor.Api.JsonRpc;

/// <summary>
/// Delivers events to WebSocket clients: the topic event to connections subscribed to it (with their
/// device filter), and the status notifications of the contract to every authenticated connection.
/// </summary>
internal sealed class NotificationSink(RpcConnections connections) : IEventSink
{
    public void Publish(SensorEvent sensorEvent)
    {
        var topicParams = new Dictionary<string, object?>(sensorEvent.Data)
        {
            ["device"] = sensorEvent.Device,
            ["timestamp"] = sensorEvent.Timestamp.UtcDateTime.ToString("O"),
        };
        var status = StatusNotification(sensorEvent);
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

            if (connection.Session.Wants(sensorEvent.Topic, sensorEvent.Device))
            {
                connection.Notify(sensorEvent.Topic, topicParams);
            }
        }
    }

    private static (string Method, Dictionary<string, object?> Params)? StatusNotification(SensorEvent e)
    {
        if (e.Topic.StartsWith("camera.", StringComparison.Ordinal))
        {
            return ("camera_status_update", Pick(e, "device", "status", "name", "resolution", "fps", "streams"));
        }

        if (e.Topic is EventTopics.RecordingStart or EventTopics.RecordingStop or EventTopics.RecordingError)
        {
            return ("recording_status_update", Pick(e, "device", "status", "filename", "duration"));
        }

        return e.Topic == EventTopics.SystemHealth ? ("system_health_update", Pick(e, "status", "components")) : null;
    }

    private static Dictionary<string, object?> Pick(SensorEvent e, params string[] keys)
    {
        var result = new Dictionary<string, object?>();
        foreach (var key in keys)
        {
            result[key] = key == "device" ? e.Device : e.Data.GetValueOrDefault(key);
        }

        return result;
    }
}

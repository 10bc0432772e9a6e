using VideoSensor.Events;

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
            return (RpcNotifications.CameraStatusUpdate, Pick(e, RpcNotifications.Fields<CameraStatusUpdateParams>()));
        }

        if (e.Topic is EventTopics.RecordingStart or EventTopics.RecordingStop or EventTopics.RecordingError)
        {
            return (RpcNotifications.RecordingStatusUpdate, Pick(e, RpcNotifications.Fields<RecordingStatusUpdateParams>()));
        }

        return e.Topic == EventTopics.SystemHealth ? (RpcNotifications.SystemHealthUpdate, Pick(e, RpcNotifications.Fields<SystemHealthUpdateParams>())) : null;
    }

    private static Dictionary<string, object?> Pick(SensorEvent e, IReadOnlyList<string> keys)
    {
        var result = new Dictionary<string, object?>();
        foreach (var key in keys)
        {
            result[key] = key == "device" ? e.Device : e.Data.GetValueOrDefault(key);
        }

        return result;
    }
}

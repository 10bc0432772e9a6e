using VideoSensor.Contracts;
using System.Text.Json;
using System.Text.Json.Nodes;
using VideoSensor.Events;

namespace VideoSensor.Platform.Dapr;

/// <summary>
/// Writes an event as a CloudEvents 1.0 JSON envelope: <c>type</c> io.daprcamera.&lt;topic&gt;,
/// <c>subject</c> the camera id, <c>source</c> this sensor, <c>data</c> the event's fields (snake_case,
/// with <c>device</c> and <c>timestamp</c> as the WebSocket notifications carry them).
/// Sent as <c>application/cloudevents+json</c>, so the sidecar passes it through rather than wrapping it.
/// </summary>
internal static class CloudEventEnvelope
{
    public const string ContentType = "application/cloudevents+json";
    public const string TypePrefix = "io.daprcamera.";

    public static byte[] Serialize(SensorEvent sensorEvent, string id, string source)
    {
        var data = new Dictionary<string, object?>(sensorEvent.Data)
        {
            ["device"] = sensorEvent.Device,
            ["timestamp"] = sensorEvent.Timestamp.UtcDateTime.ToString("O"),
        };
        var envelope = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["source"] = source,
            ["type"] = TypePrefix + sensorEvent.Topic,
            ["time"] = sensorEvent.Timestamp.UtcDateTime.ToString("O"),
            ["datacontenttype"] = "application/json",
            ["data"] = JsonSerializer.SerializeToNode(data, ApiJson.Options),
        };
        if (sensorEvent.Device is { } device)
        {
            envelope["subject"] = device;
        }

        return JsonSerializer.SerializeToUtf8Bytes(envelope, ApiJson.Options);
    }

    /// <summary>This sensor as a CloudEvents source (a URI reference).</summary>
    public static string Source(string appId, string instanceId) => $"/daprcamera/sensors/{appId}/{Uri.EscapeDataString(instanceId)}";
}

using System.Text.Json;
using System.Text.Json.Serialization;
using VideoSensor.EventContract;

namespace VideoSensor.Platform.Dapr;

/// <summary>
/// Writes an event as a CloudEvents 1.0 JSON envelope: <c>type</c> io.daprcamera.&lt;topic&gt;,
/// <c>subject</c> the camera id, <c>source</c> this sensor, <c>data</c> the event's fields exactly as the WebSocket
/// topic notification carries them (<see cref="EventWire"/>).
/// Sent as <c>application/cloudevents+json</c>, so the sidecar passes it through rather than wrapping it.
/// </summary>
internal static class CloudEventEnvelope
{
    public const string ContentType = "application/cloudevents+json";
    public const string TypePrefix = "io.daprcamera.";

    public static byte[] Serialize(WireEvent wire, string id, string source)
    {
        var time = EventWire.Timestamp(wire.Time);
        var envelope = new OutgoingCloudEvent("1.0", id, source, TypePrefix + wire.Topic, time, "application/json", wire.Data, wire.Device);
        return JsonSerializer.SerializeToUtf8Bytes(envelope, CloudEventJson.Default.OutgoingCloudEvent);
    }

    /// <summary>This sensor as a CloudEvents source (a URI reference).</summary>
    public static string Source(string appId, string instanceId) => $"/daprcamera/sensors/{appId}/{Uri.EscapeDataString(instanceId)}";
}

/// <summary>The structured CloudEvent as published; <c>subject</c> is left out for service-wide events.</summary>
internal sealed record OutgoingCloudEvent(
    string Specversion,
    string Id,
    string Source,
    string Type,
    string Time,
    string Datacontenttype,
    JsonElement Data,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Subject);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(OutgoingCloudEvent))]
internal sealed partial class CloudEventJson : JsonSerializerContext;

using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using VideoSensor.Cameras;
using VideoSensor.EventContract;

namespace VideoSensor.Api.JsonRpc;

/// <summary>A message the server sends without being asked, and the shape of its params.</summary>
internal sealed record RpcNotification(string Name, string Summary, string Delivery, Type ParamsType);

/// <summary>
/// Every notification the WebSocket connection sends. <see cref="NotificationSink"/> builds the status
/// notifications from these records' fields, and <c>rpc.discover</c> exports their schemas, so the two agree.
/// </summary>
internal static class RpcNotifications
{
    public const string CameraStatusUpdate = "camera_status_update";
    public const string RecordingStatusUpdate = "recording_status_update";
    public const string SystemHealthUpdate = "system_health_update";

    private const string ToAll = "every authenticated connection";
    private const string ToSubscribers = "connections subscribed to this topic (subscribe_events), filtered by device when asked";

    public static IReadOnlyList<RpcNotification> All { get; } =
    [
        new(CameraStatusUpdate, "A camera's status changed (also sent for camera.* events).", ToAll, typeof(CameraStatusUpdateParams)),
        new(RecordingStatusUpdate, "A recording started, stopped or failed.", ToAll, typeof(RecordingStatusUpdateParams)),
        new(SystemHealthUpdate, "The service's health changed.", ToAll, typeof(SystemHealthUpdateParams)),
        .. EventTopics.All.Select(topic => new RpcNotification(topic, $"The {topic} event; params carry device, timestamp and the event's own fields.", ToSubscribers, typeof(TopicEventParams))),
    ];

    /// <summary>The wire names of a notification record's fields, in declaration order.</summary>
    public static IReadOnlyList<string> Fields<T>() => FieldNames<T>.Value;

    private static class FieldNames<T>
    {
        public static readonly string[] Value = [.. Json.HostJson.Api.GetTypeInfo(typeof(T)).Properties.Select(p => p.Name)];
    }
}

internal sealed record CameraStatusUpdateParams(
    string Device,
    [property: AllowedValues("CONNECTED", "DISCONNECTED", "ERROR")] string Status,
    string? Name,
    string? Resolution,
    int? Fps,
    StreamLinks? Streams);

internal sealed record RecordingStatusUpdateParams(string Device, string? Status, string? Filename, double? Duration);

internal sealed record SystemHealthUpdateParams([property: AllowedValues("HEALTHY", "DEGRADED", "UNHEALTHY")] string Status, IReadOnlyDictionary<string, object?>? Components);

/// <summary>A topic event: always the device (null for service-wide events) and the time; the rest depends on the topic.</summary>
internal sealed record TopicEventParams(string? Device, string Timestamp)
{
    // set, not init: generated metadata cannot fill extension data through the object initializer.
    [System.Text.Json.Serialization.JsonExtensionData]
    public Dictionary<string, JsonElement>? Fields { get; set; }
}

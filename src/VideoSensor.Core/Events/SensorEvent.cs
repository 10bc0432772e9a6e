namespace VideoSensor.Events;

/// <summary>
/// Something that happened, for every sink (WebSocket subscribers, Dapr pub/sub). <paramref name="Topic"/>
/// is the contract's topic name (<c>camera.connected</c>, <c>recording.stop</c>, …); <paramref name="Data"/>
/// carries the event's fields, serialised with the API's naming policy.
/// </summary>
internal sealed record SensorEvent(string Topic, string? Device, DateTimeOffset Timestamp, IReadOnlyDictionary<string, object?> Data);

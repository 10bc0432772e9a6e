using VideoSensor.EventContract;

namespace VideoSensor.Platform.Registration;

/// <summary><c>sensor.registered</c>: who this sensor is, where to reach it, what it can do, what it has.</summary>
internal sealed record SensorRegistered(
    string InstanceId,
    string AppId,
    string Version,
    SensorEndpoints Endpoints,
    SensorCapabilities Capabilities,
    IReadOnlyList<SensorCamera> Cameras,
    SensorCapacity Capacity) : EventData;

/// <summary><c>sensor.heartbeat</c>: health (each component's status) and capacity, every <c>heartbeat_seconds</c>.</summary>
internal sealed record SensorHeartbeat(
    string InstanceId,
    string AppId,
    string Status,
    double Uptime,
    IReadOnlyDictionary<string, string> Components,
    SensorCapacity Capacity,
    IReadOnlyList<SensorCamera> Cameras) : EventData;

/// <summary><c>sensor.deregistered</c>: the sensor is going away.</summary>
internal sealed record SensorDeregistered(string InstanceId, string AppId, string Reason) : EventData;

internal sealed record SensorEndpoints(string Websocket, string Rest, string Health, string DaprInvoke);

/// <summary>The JSON-RPC methods, camera kinds, snapshot formats, and the commands topics (null: none).</summary>
internal sealed record SensorCapabilities(
    IReadOnlyList<string> Methods,
    IReadOnlyList<string> CameraKinds,
    IReadOnlyList<string> SnapshotFormats,
    string? Commands,
    string? InstanceCommands);

internal sealed record SensorCamera(string Device, string Kind, string Name, string Status);

internal sealed record SensorCapacity(int MaxStreams, int ActiveStreams, int Cameras);

namespace VideoSensor.EventContract;

/// <summary>The event topics of the API contract: the JSON-RPC notification methods and, after the prefix, the Dapr topics.</summary>
internal static class EventTopics
{
    public const string CameraConnected = "camera.connected";
    public const string CameraDisconnected = "camera.disconnected";
    public const string CameraStatusChange = "camera.status_change";
    public const string RecordingStart = "recording.start";
    public const string RecordingProgress = "recording.progress";
    public const string RecordingStop = "recording.stop";
    public const string RecordingError = "recording.error";
    public const string SnapshotTaken = "snapshot.taken";
    public const string SnapshotError = "snapshot.error";

    /// <summary>In the contract (clients may subscribe to it); the service raises no event on it today.</summary>
    public const string SystemHealth = "system.health";
    public const string SystemStartup = "system.startup";
    public const string SystemShutdown = "system.shutdown";
    public const string StorageLowSpace = "storage.low_space";

    public static IReadOnlyList<string> All { get; } =
    [
        CameraConnected, CameraDisconnected, CameraStatusChange, RecordingStart, RecordingProgress, RecordingStop,
        RecordingError, SnapshotTaken, SnapshotError, SystemHealth, SystemStartup, SystemShutdown, StorageLowSpace,
    ];
}

using System.Text.Json.Serialization;
using VideoSensor.Cameras;

namespace VideoSensor.EventContract;

/// <summary>
/// The <c>params</c> of a topic notification and the <c>data</c> of its CloudEvent: the event's own fields, then
/// <c>device</c> (null for service-wide events) and <c>timestamp</c>. Property names become the wire names
/// (snake_case, <see cref="EventContractJson"/>); a null is written as null unless the property says otherwise.
/// </summary>
internal abstract record EventData
{
    public string? Device { get; init; }
    public string Timestamp { get; init; } = "";
}

internal sealed record CameraData(string Status, string Name, string Resolution, int Fps, StreamLinks Streams, string Kind, string? Reason) : EventData
{
    /// <summary>Only present when the status changed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PreviousStatus { get; init; }
}

/// <summary>The camera's fields (as in <see cref="CameraData"/>) with <c>reason: control_changed</c> and the control written.</summary>
internal sealed record ControlChangedData(string Status, string Name, string Resolution, int Fps, StreamLinks Streams, string Kind, string Reason, string Control, uint ControlId, long Value, long? Previous) : EventData;

/// <summary>The camera's fields with <c>reason: controls_restored</c> and which remembered controls applied.</summary>
internal sealed record ControlsRestoredData(string Status, string Name, string Resolution, int Fps, StreamLinks Streams, string Kind, string Reason, IReadOnlyList<string> Restored, IReadOnlyList<string> Failed) : EventData;

internal sealed record RecordingStartData(string Status, string Filename, string Format, string StartTime, double Duration, double? MaxDuration, int SegmentSeconds) : EventData;

internal sealed record RecordingProgressData(string Status, string Filename, double Duration, long Bytes, int Segments, int Restarts) : EventData;

internal sealed record RecordingErrorData(string Status, string Filename, double Duration, string Error, string Reason, bool Restarting, int Restarts) : EventData;

internal sealed record RecordingRecoveredData(string Status, string Filename, double Duration, string Error, bool Recovered, double GapSeconds, int Restarts) : EventData;

internal sealed record RecordingStopData(
    string Status, string Filename, double Duration, long FileSize, string? Reason, int Segments, IReadOnlyList<string> Files, int Restarts, double GapSeconds) : EventData;

internal sealed record SnapshotTakenData(string Filename, long FileSize, string Resolution) : EventData;

internal sealed record SnapshotErrorData(string? Error) : EventData;

internal sealed record StorageLowSpaceData(
    string Level,
    long AvailableSpace,
    long TotalSpace,
    double UsagePercentage,
    double FreePercentage,
    double LowSpacePercent,
    double BlockSpacePercent,
    bool RecordingBlocked) : EventData;

internal sealed record SystemStartupData(string Version) : EventData;

internal sealed record SystemShutdownData(string Reason) : EventData;

using VideoSensor.Events;

namespace VideoSensor.Recording;

/// <summary>A recording started: its first segment's name, the container, and how long it may run.</summary>
internal sealed record RecordingStarted(string CameraId, string FileName, string Format, DateTimeOffset StartTime, TimeSpan? MaxDuration, TimeSpan SegmentLength)
    : SensorEvent(CameraId);

/// <summary>How far a running recording is, measured on disk (finished segments plus the growing one).</summary>
internal sealed record RecordingProgressed(string CameraId, string FileName, TimeSpan Duration, long Bytes, int Segments, int Restarts)
    : SensorEvent(CameraId);

/// <summary>The recorder failed: it restarts into a new segment (<paramref name="Restarting"/>) or the recording ends for <paramref name="Reason"/>.</summary>
internal sealed record RecorderFailed(string CameraId, string FileName, TimeSpan Duration, string Error, string Reason, bool Restarting, int Restarts)
    : SensorEvent(CameraId);

/// <summary>The recorder writes again after an outage of <paramref name="Gap"/>.</summary>
internal sealed record RecordingRecovered(string CameraId, string FileName, TimeSpan Duration, TimeSpan Gap, int Restarts)
    : SensorEvent(CameraId);

/// <summary>A recording ended, whatever ended it; every number is measured from its finished files.</summary>
internal sealed record RecordingStopped(
    string CameraId,
    string FileName,
    TimeSpan Duration,
    long SizeBytes,
    string? Reason,
    IReadOnlyList<string> Files,
    int Restarts,
    TimeSpan Gaps) : SensorEvent(CameraId);

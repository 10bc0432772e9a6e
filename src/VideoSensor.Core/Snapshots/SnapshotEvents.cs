using VideoSensor.Events;

namespace VideoSensor.Snapshots;

/// <summary>A snapshot was written and is complete under <paramref name="FileName"/>.</summary>
internal sealed record SnapshotTaken(string CameraId, string FileName, long SizeBytes, int Width, int Height) : SensorEvent(CameraId);

/// <summary>A snapshot could not be taken; nothing was kept.</summary>
internal sealed record SnapshotFailed(string CameraId, string? Error) : SensorEvent(CameraId);

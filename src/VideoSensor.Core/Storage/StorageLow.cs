using VideoSensor.Events;

namespace VideoSensor.Storage;

/// <summary>
/// Free space under the storage root fell below the low mark (<paramref name="RecordingBlocked"/> false) or the
/// block mark, where new recordings are refused (true). The percentages are of the file system's size.
/// </summary>
internal sealed record StorageLow(
    long AvailableBytes,
    long TotalBytes,
    double UsedPercent,
    double FreePercent,
    double LowSpacePercent,
    double BlockSpacePercent,
    bool RecordingBlocked) : SensorEvent(CameraId: null);

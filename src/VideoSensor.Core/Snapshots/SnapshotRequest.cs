namespace VideoSensor.Snapshots;

/// <summary>What a caller asked of a snapshot; already validated.</summary>
internal sealed record SnapshotRequest(string? FileName, SnapshotFormat Format, int Quality, int? MaxWidth, int? MaxHeight);

internal enum SnapshotFormat
{
    Jpg,
    Png,
}

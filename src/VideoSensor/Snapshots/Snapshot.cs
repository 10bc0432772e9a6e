namespace VideoSensor.Snapshots;

/// <summary>A snapshot written to the store, with its measured size; <paramref name="FromLiveFrame"/> when it came from a running reader's latest frame.</summary>
internal sealed record Snapshot(string Device, string FileName, string FullPath, long FileSize, DateTimeOffset Timestamp, int Width, int Height, TimeSpan Took, bool FromLiveFrame = false);

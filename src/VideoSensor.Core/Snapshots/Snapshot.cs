namespace VideoSensor.Snapshots;

/// <summary>Where a snapshot's frame came from, as <c>take_snapshot</c> reports it.</summary>
internal enum SnapshotSource
{
    /// <summary>The camera's own source (the service opened it for this snapshot).</summary>
    Camera,

    /// <summary>A running recorder's latest frame: no new connection at all.</summary>
    LiveFrame,

    /// <summary>The camera's MediaMTX path, shared with every other reader.</summary>
    MediaMtx,
}

/// <summary>A snapshot written to the store, with its measured size and where its frame came from.</summary>
internal sealed record Snapshot(string Device, string FileName, string FullPath, long FileSize, DateTimeOffset Timestamp, int Width, int Height, TimeSpan Took, SnapshotSource Source = SnapshotSource.Camera)
{
    public string SourceName => Source.ToWire();
}

internal static class SnapshotSourceNames
{
    /// <summary>The name clients see: <c>mediamtx</c>, <c>live_frame</c> or <c>camera</c>.</summary>
    public static string ToWire(this SnapshotSource source) => source switch
    {
        SnapshotSource.LiveFrame => "live_frame",
        SnapshotSource.MediaMtx => "mediamtx",
        _ => "camera",
    };
}

namespace VideoSensor.Storage;

/// <summary>The two kinds of media file the service keeps.</summary>
internal enum FileKind
{
    Recording,
    Snapshot,
}

namespace VideoSensor.Recording;

/// <summary>Where a recording session is in its life.</summary>
internal enum RecordingState
{
    /// <summary>The recorder is connecting; no bytes yet.</summary>
    Starting,

    /// <summary>Segments are being written.</summary>
    Recording,

    /// <summary>The recorder died or the camera is gone; it is being restarted into a new segment.</summary>
    Reconnecting,

    /// <summary>Stop was asked for (or the duration was reached); the last segment is being finished.</summary>
    Stopping,

    Stopped,
}

/// <summary>What a finished (or running) recording amounts to, measured from its files.</summary>
internal sealed record RecordingSummary(
    string Device,
    string FileName,
    string Format,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    double Duration,
    long FileSize,
    IReadOnlyList<Segment> Segments,
    int Restarts,
    double GapSeconds,
    string? StopReason);

namespace VideoSensor.Media.Ingest;

/// <summary>The state of one camera's ingest ffmpeg, as get_stream_status shows it.</summary>
internal sealed record IngestStatus(
    string CameraId,
    bool Running,
    int? Pid,
    DateTimeOffset? StartedAt,
    int Restarts,
    int? LastExitCode,
    IReadOnlyList<string> LastErrors);

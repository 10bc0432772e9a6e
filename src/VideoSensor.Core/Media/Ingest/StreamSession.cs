namespace VideoSensor.Media.Ingest;

/// <summary>The service's bookkeeping of one active stream.</summary>
internal sealed class StreamSession(string cameraId, DateTimeOffset since, IngestProcess? ingest)
{
    public string CameraId { get; } = cameraId;
    public DateTimeOffset Since { get; } = since;
    public IngestProcess? Ingest { get; } = ingest;
    public int Holds { get; set; }
    public DateTimeOffset LastActivity { get; set; } = since;
    public DateTimeOffset? ApiStarted { get; set; }
}

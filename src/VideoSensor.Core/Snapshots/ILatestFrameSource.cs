namespace VideoSensor.Snapshots;

/// <summary>
/// Something already reading a camera (a recorder, later a stream ingest) that keeps its latest frame on disk,
/// so a snapshot can be taken from it instead of opening a new connection to the camera.
/// </summary>
internal interface ILatestFrameSource
{
    /// <summary>The path of a JPEG of the camera's latest frame no older than <paramref name="maxAge"/>, or null.</summary>
    string? LatestFrame(string device, TimeSpan maxAge);
}

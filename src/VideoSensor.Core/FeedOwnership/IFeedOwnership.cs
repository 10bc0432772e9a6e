namespace VideoSensor.FeedOwnership;

/// <summary>
/// Whether this instance ingests an RTSP camera (MediaMTX pulls it, ffprobe probes it, recordings and
/// snapshots use it). Standalone every instance owns all its feeds; with Dapr the feed's actor decides.
/// </summary>
internal interface IFeedOwnership
{
    /// <summary>True when this instance ingests the RTSP camera <paramref name="cameraId"/>.</summary>
    bool Owns(string cameraId);

    /// <summary>Why this instance does not ingest the camera (which instance does), or null when it does.</summary>
    string? NotOwnedReason(string cameraId);

    /// <summary>The instance that ingests the camera when that is known to be another instance; null otherwise.</summary>
    string? OtherOwner(string cameraId);

    /// <summary>Raised with the camera id when this instance gains or loses a feed.</summary>
    event Action<string>? Changed;
}

/// <summary>No coordination (Dapr disabled or no sidecar): every instance ingests every feed it declares, as before.</summary>
internal sealed class LocalFeedOwnership : IFeedOwnership
{
    public event Action<string>? Changed
    {
        add { }
        remove { }
    }

    public bool Owns(string cameraId) => true;

    public string? NotOwnedReason(string cameraId) => null;

    public string? OtherOwner(string cameraId) => null;
}

namespace VideoSensor.Media.Ingest;

/// <summary>
/// Makes a camera's stream available on MediaMTX when something needs it: an API call, a recording,
/// a snapshot, or a reader. Cameras that MediaMTX pulls itself (RTSP feeds) need nothing started.
/// </summary>
internal interface IStreamActivator
{
    /// <summary>
    /// Starts the camera's ingest if it has one and it is not running. With <paramref name="hold"/> the
    /// caller keeps it alive until <see cref="Release"/>; without, it lives until idle for auto_close_after.
    /// Throws NotFoundException for an unknown camera and DependencyException when MediaMTX or ffmpeg is missing.
    /// </summary>
    Task<StreamActivation> EnsureActiveAsync(string cameraId, bool hold, CancellationToken cancellationToken);

    /// <summary>Gives back a hold taken by <see cref="EnsureActiveAsync"/>.</summary>
    void Release(string cameraId);
}

/// <summary>The outcome of an activation: when the stream became active and whether the service runs an ingest for it.</summary>
internal sealed record StreamActivation(string CameraId, DateTimeOffset ActiveSince, bool HasIngest);

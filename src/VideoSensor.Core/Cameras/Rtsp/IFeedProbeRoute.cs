using VideoSensor.Media.Ffmpeg;

namespace VideoSensor.Cameras.Rtsp;

/// <summary>
/// Where an RTSP feed can be probed without opening another session on the camera: MediaMTX's path while it
/// already pulls the feed. Many cameras allow one or two sessions, so a probe of its own could be refused
/// (and mark a camera in error that streams fine) or push a viewer out.
/// </summary>
internal interface IFeedProbeRoute
{
    /// <summary>ffmpeg input arguments for the shared copy of the feed, or null when there is none (then probe the camera).</summary>
    Task<InputArguments?> SharedInputAsync(string cameraId, CancellationToken cancellationToken);
}

using VideoSensor.Cameras.Rtsp;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Media.Ingest;

namespace VideoSensor.Media.MediaMtx;

/// <summary>
/// Probes an RTSP feed through its MediaMTX path while MediaMTX has it (the path is ready: MediaMTX is pulling
/// it). Otherwise — MediaMTX not running, the feed down, or an on-demand feed nobody reads — the camera itself
/// is probed, which also gives the precise reason (e.g. 401) when it fails.
/// </summary>
internal sealed class MediaPathProbeRoute(MediaMtxState mediaMtx, PathReadiness readiness, ReaderInput readers) : IFeedProbeRoute
{
    public async Task<InputArguments?> SharedInputAsync(string cameraId, CancellationToken cancellationToken)
    {
        try
        {
            return mediaMtx.IsRunning && await readiness.IsPublishedAsync(cameraId, cancellationToken).ConfigureAwait(false)
                ? readers.PathInput(cameraId)
                : null;
        }
        catch (MediaMtxException)
        {
            return null;
        }
    }
}

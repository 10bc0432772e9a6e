using Microsoft.Extensions.Options;
using VideoSensor.Cameras.Rtsp;
using VideoSensor.Media.Ffmpeg;

namespace VideoSensor.Media.MediaMtx;

/// <summary>
/// Probes an RTSP feed through its MediaMTX path while MediaMTX has it (the path is ready: MediaMTX is pulling
/// it). Otherwise — MediaMTX not running, the feed down, or an on-demand feed nobody reads — the camera itself
/// is probed, which also gives the precise reason (e.g. 401) when it fails.
/// </summary>
internal sealed class MediaPathProbeRoute(MediaMtxState mediaMtx, MediaMtxClient client, InternalCredential credential, IOptions<MediaOptions> options) : IFeedProbeRoute
{
    public async Task<IReadOnlyList<string>?> SharedInputAsync(string cameraId, CancellationToken cancellationToken)
    {
        if (!mediaMtx.IsRunning)
        {
            return null;
        }

        try
        {
            if ((await client.GetPathAsync(cameraId, cancellationToken).ConfigureAwait(false))?.IsReady != true)
            {
                return null;
            }
        }
        catch (MediaMtxException)
        {
            return null;
        }

        return FfmpegInput.Rtsp(credential.LocalRtspUrl(options.Value.RtspPort, cameraId), "tcp");
    }
}

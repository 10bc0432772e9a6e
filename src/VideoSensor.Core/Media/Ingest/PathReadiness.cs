using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Media.MediaMtx;

namespace VideoSensor.Media.Ingest;

/// <summary>
/// Waits until MediaMTX reports a camera's path published, so a reader arriving right after the ingest
/// started gets the stream instead of MediaMTX's "no stream is available on path".
/// </summary>
internal sealed partial class PathReadiness(MediaMtxClient client, IOptions<MediaOptions> options, TimeProvider time, ILogger<PathReadiness> logger)
{
    /// <summary>MediaMTX does not push path state, so a waiting reader asks the API at this pace.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>Camera → the activation seen published, so later readers of the same activation ask nothing.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seenPublished = new(StringComparer.Ordinal);

    public TimeSpan Timeout => TimeSpan.FromSeconds(options.Value.MediaMtx.PublishTimeoutSeconds);

    /// <summary>
    /// True once the path is published, at once for a pulled RTSP feed (MediaMTX itself holds a reader until the
    /// feed answers); false after <see cref="Timeout"/> or when MediaMTX cannot tell.
    /// </summary>
    public async Task<bool> WaitUntilPublishedAsync(StreamActivation activation, CancellationToken cancellationToken)
    {
        if (!activation.HasIngest || (_seenPublished.TryGetValue(activation.CameraId, out var seen) && seen == activation.ActiveSince))
        {
            return true;
        }

        var deadline = time.GetUtcNow() + Timeout;
        while (true)
        {
            try
            {
                if (await IsPublishedAsync(activation.CameraId, cancellationToken).ConfigureAwait(false))
                {
                    _seenPublished[activation.CameraId] = activation.ActiveSince;
                    return true;
                }
            }
            catch (MediaMtxException ex)
            {
                LogPathUnknown(logger, activation.CameraId, ex.Message);
                return false;
            }

            if (time.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Asks MediaMTX once whether the camera's path is published (ready). Throws MediaMtxException when it cannot tell.</summary>
    public async Task<bool> IsPublishedAsync(string cameraId, CancellationToken cancellationToken) =>
        (await client.GetPathAsync(cameraId, cancellationToken).ConfigureAwait(false))?.IsReady == true;

    [LoggerMessage(Level = LogLevel.Warning, Message = "MediaMTX could not tell the state of the path of {Camera}: {Reason}")]
    private static partial void LogPathUnknown(ILogger logger, string camera, string reason);
}

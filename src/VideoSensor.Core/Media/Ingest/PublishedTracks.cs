using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VideoSensor.Cameras;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Media.MediaMtx;

namespace VideoSensor.Media.Ingest;

/// <summary>
/// Measures what the service's own ingests publish (test patterns, USB cameras, feeds republished with Opus): once
/// per activation, when MediaMTX reports the path published, ffprobe reads it and the camera's audio track is set from
/// what was found. Pulled RTSP feeds are measured by their own probe (<see cref="Cameras.Rtsp.RtspFeeds"/>).
/// </summary>
internal sealed partial class PublishedTracks(
    IngestSupervisor streams,
    CameraRegistry registry,
    PathReadiness readiness,
    ReaderInput reader,
    MediaProbe probe,
    MediaMtxState mediaMtx,
    TimeProvider time,
    ILogger<PublishedTracks> logger) : BackgroundService
{
    /// <summary>MediaMTX does not push "published", and one probe per activation is all this needs.</summary>
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>Camera → the activation already measured.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _measured = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (mediaMtx.IsRunning)
                {
                    await MeasureNewAsync(stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    internal async Task MeasureNewAsync(CancellationToken cancellationToken)
    {
        foreach (var session in streams.Sessions().Where(s => s.Ingest is { Status.Running: true }))
        {
            if (_measured.TryGetValue(session.CameraId, out var since) && since == session.Since)
            {
                continue;
            }

            try
            {
                if (!await readiness.IsPublishedAsync(session.CameraId, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                var result = await probe.ProbeAsync(reader.PathInput(session.CameraId), TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
                _measured[session.CameraId] = session.Since;
                if (registry.TryGet(session.CameraId, out var camera) && camera.Audio != result.Audio)
                {
                    registry.Upsert(camera with { Audio = result.Audio });
                }
            }
            catch (Exception ex) when (ex is MediaMtxException or ProbeException or MissingToolException)
            {
                LogNotMeasured(logger, session.CameraId, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not measure the tracks {Camera} publishes (will retry): {Reason}")]
    private static partial void LogNotMeasured(ILogger logger, string camera, string reason);
}

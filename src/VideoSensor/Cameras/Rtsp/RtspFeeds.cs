using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Media.Ffmpeg;

namespace VideoSensor.Cameras.Rtsp;

/// <summary>
/// Puts the configured RTSP feeds into the registry and keeps their status honest by probing each one
/// with ffprobe: CONNECTED with the measured size and rate, or ERROR with the reason.
/// </summary>
internal sealed partial class RtspFeeds(
    CameraRegistry registry,
    IOptions<CamerasOptions> options,
    MediaProbe probe,
    FfmpegInput input,
    TimeProvider time,
    ILogger<RtspFeeds> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Registered before the host is ready so the inventory is complete from the first request.
        foreach (var feed in options.Value.Rtsp)
        {
            registry.Upsert(ToCamera(feed) with { Status = CameraStatus.Disconnected, StatusReason = "not probed yet" });
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.RtspProbeIntervalSeconds);
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            // Every RTSP camera in the registry: configured feeds and streams added at run time alike.
            var cameras = registry.List().Where(c => c.Source is RtspSource).Select(c => c.Id).ToList();
            await Task.WhenAll(cameras.Select(id => ProbeAsync(id, stoppingToken))).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task ProbeAsync(string id, CancellationToken cancellationToken)
    {
        if (!registry.TryGet(id, out var camera) || camera.Source is not RtspSource source)
        {
            return;
        }

        try
        {
            var url = await input.AuthorizedUrlAsync(source, cancellationToken).ConfigureAwait(false);
            var result = await probe.ProbeAsync(FfmpegInput.Rtsp(url, source.Transport), TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            var resolution = result.Width > 0 ? new Resolution(result.Width, result.Height) : camera.Resolution;
            var fps = result.Fps > 0 ? (int)Math.Round(result.Fps) : camera.Fps;
            var capabilities = new CameraCapabilities([result.Codec ?? "unknown"], [resolution], [fps], ["snapshot", "streaming", "recording"], "probed");
            UpdateIfCurrent(camera, camera with { Status = CameraStatus.Connected, StatusReason = null, Resolution = resolution, Fps = fps, Capabilities = capabilities });
        }
        catch (ProbeException ex)
        {
            if (camera.Status != CameraStatus.Error || camera.StatusReason != ex.Message)
            {
                LogProbeFailed(logger, id, ex.Message);
            }

            UpdateIfCurrent(camera, camera with { Status = CameraStatus.Error, StatusReason = ex.Message });
        }
        catch (MissingToolException ex)
        {
            UpdateIfCurrent(camera, camera with { Status = CameraStatus.Error, StatusReason = ex.Message });
        }
    }

    /// <summary>Applies a probe result unless the camera was removed or re-pointed while the probe ran.</summary>
    private void UpdateIfCurrent(Camera probed, Camera updated)
    {
        if (registry.TryGet(probed.Id, out var current) && current.Source == probed.Source)
        {
            registry.Upsert(updated with { Name = current.Name });
        }
    }

    internal static Camera ToCamera(RtspCameraOptions feed)
    {
        Resolution.TryParse(feed.Resolution, out var resolution);
        var source = new RtspSource(new Uri(feed.Url), feed.Username, feed.Password, feed.Transport);
        var name = feed.Name.Length > 0 ? feed.Name : feed.Id;
        return new Camera(feed.Id, CameraKind.Rtsp, name, CameraStatus.Disconnected, resolution, feed.Fps, source, CameraCapabilities.Unknown);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "RTSP feed {Camera} is not answering: {Reason}")]
    private static partial void LogProbeFailed(ILogger logger, string camera, string reason);
}

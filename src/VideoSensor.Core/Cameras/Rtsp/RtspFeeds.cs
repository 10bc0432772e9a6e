using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.FeedOwnership;

namespace VideoSensor.Cameras.Rtsp;

/// <summary>
/// Puts the configured RTSP feeds into the registry and keeps their status honest by probing each one
/// (and every RTSP stream added at run time) with ffprobe: CONNECTED with the measured size and rate, or ERROR with the reason. Follows live
/// configuration changes: feeds added, removed or changed, and the probe interval. While MediaMTX pulls a feed the
/// probe reads MediaMTX's copy (<see cref="IFeedProbeRoute"/>), so it never takes a second session on the camera.
/// </summary>
internal sealed partial class RtspFeeds(
    CameraRegistry registry,
    IOptionsMonitor<CamerasOptions> options,
    MediaProbe probe,
    FfmpegInput input,
    IFeedOwnership ownership,
    IFeedProbeRoute route,
    TimeProvider time,
    ILogger<RtspFeeds> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private IReadOnlyList<RtspCameraOptions> _feeds = [];
    private IDisposable? _subscription;
    private PeriodicTimer? _timer;
    private CancellationToken _stopping;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Registered before the host is ready so the inventory is complete from the first request.
        ApplyFeeds(options.CurrentValue.Rtsp);
        ownership.Changed += OnOwnershipChanged;
        _subscription = options.OnChange(changed =>
        {
            lock (_gate)
            {
                _timer?.Period = TimeSpan.FromSeconds(changed.RtspProbeIntervalSeconds);
            }

            foreach (var feed in ApplyFeeds(changed.Rtsp))
            {
                _ = ProbeAsync(feed.Id, _stopping);
            }
        });
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        ownership.Changed -= OnOwnershipChanged;
        _subscription?.Dispose();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _subscription?.Dispose();
        _timer?.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// Makes the registry hold exactly <paramref name="feeds"/>: new ones are added, missing ones removed,
    /// changed ones replaced (and shown as not probed). Returns the feeds that are new or changed.
    /// </summary>
    public IReadOnlyList<RtspCameraOptions> ApplyFeeds(IReadOnlyList<RtspCameraOptions> feeds)
    {
        List<RtspCameraOptions> fresh = [];
        lock (_gate)
        {
            var previous = _feeds.ToDictionary(f => f.Id, Signature, StringComparer.Ordinal);
            foreach (var feed in feeds)
            {
                if (previous.Remove(feed.Id, out var signature) && signature == Signature(feed) && registry.TryGet(feed.Id, out _))
                {
                    continue;
                }

                registry.Upsert(ToCamera(feed) with { Status = CameraStatus.Disconnected, StatusReason = "not probed yet" });
                fresh.Add(feed);
            }

            foreach (var gone in previous.Keys)
            {
                registry.Remove(gone);
            }

            _feeds = [.. feeds];
        }

        return fresh;
    }

    /// <summary>Probes every RTSP camera (or the one with id <paramref name="id"/>) now; returns how many.</summary>
    public async Task<int> RescanAsync(string? id, CancellationToken cancellationToken)
    {
        var ids = RtspCameraIds().Where(c => id is null || c == id).ToList();
        await Task.WhenAll(ids.Select(c => ProbeAsync(c, cancellationToken))).ConfigureAwait(false);
        return ids.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        PeriodicTimer timer;
        lock (_gate)
        {
            _timer = timer = new PeriodicTimer(TimeSpan.FromSeconds(options.CurrentValue.RtspProbeIntervalSeconds), time);
        }

        do
        {
            // Every RTSP camera in the registry: configured feeds and streams added at run time alike.
            await Task.WhenAll(RtspCameraIds().Select(id => ProbeAsync(id, stoppingToken))).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private List<string> RtspCameraIds() => [.. registry.List().Where(c => c.Source is RtspSource).Select(c => c.Id)];

    private async Task ProbeAsync(string id, CancellationToken cancellationToken)
    {
        if (!registry.TryGet(id, out var camera) || camera.Source is not RtspSource source)
        {
            return;
        }

        if (!ownership.Owns(id))
        {
            // Another instance ingests this feed (or none is decided yet): do not pull it, say who does.
            UpdateIfCurrent(camera, camera with { Status = CameraStatus.Disconnected, StatusReason = ownership.NotOwnedReason(id) });
            return;
        }

        try
        {
            var arguments = await route.SharedInputAsync(id, cancellationToken).ConfigureAwait(false)
                ?? FfmpegInput.Rtsp(await input.AuthorizedUrlAsync(source, cancellationToken).ConfigureAwait(false), source.Transport);
            var result = await probe.ProbeAsync(arguments, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            var resolution = result.Width > 0 ? new Resolution(result.Width, result.Height) : camera.Resolution;
            var fps = result.Fps > 0 ? (int)Math.Round(result.Fps) : camera.Fps;
            var capabilities = new CameraCapabilities([result.Codec ?? "unknown"], [resolution], [fps], ["snapshot", "streaming", "recording"], "probed");
            UpdateIfCurrent(camera, camera with { Status = CameraStatus.Connected, StatusReason = null, Resolution = resolution, Fps = fps, Capabilities = capabilities, Audio = result.Audio });
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
        catch (Errors.DependencyException ex)
        {
            // The secret source could not be asked (sidecar away): say so, keep the feed.
            UpdateIfCurrent(camera, camera with { Status = CameraStatus.Error, StatusReason = ex.Message });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>This instance gained or lost the feed: probe it now (or show who owns it) rather than at the next interval.</summary>
    private void OnOwnershipChanged(string id) => _ = ProbeAsync(id, _stopping);

    /// <summary>Applies a probe result unless the camera was removed or re-pointed while the probe ran.</summary>
    private void UpdateIfCurrent(Camera probed, Camera updated)
    {
        if (registry.TryGet(probed.Id, out var current) && current.Source == probed.Source)
        {
            registry.Upsert(updated with { Name = current.Name });
        }
    }

    /// <summary>Everything that defines a feed, to tell a changed feed from a reloaded but equal one.</summary>
    private static string Signature(RtspCameraOptions f) =>
        string.Join('\n', f.Url, f.Name, f.Transport, f.Resolution, f.Fps, f.Username?.ToString() ?? "", f.Password?.ToString() ?? "", f.Audio.WebRtc);

    internal static Camera ToCamera(RtspCameraOptions feed)
    {
        Resolution.TryParse(feed.Resolution, out var resolution);
        var source = new RtspSource(new Uri(feed.Url), feed.Username, feed.Password, feed.Transport, feed.Audio.WebRtc == CameraAudioOptions.Transcode);
        var name = feed.Name.Length > 0 ? feed.Name : feed.Id;
        return new Camera(feed.Id, CameraKind.Rtsp, name, CameraStatus.Disconnected, resolution, feed.Fps, source, CameraCapabilities.Unknown);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "RTSP feed {Camera} is not answering: {Reason}")]
    private static partial void LogProbeFailed(ILogger logger, string camera, string reason);
}

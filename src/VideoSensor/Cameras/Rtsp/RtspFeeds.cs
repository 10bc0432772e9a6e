using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Media.Ffmpeg;

namespace VideoSensor.Cameras.Rtsp;

/// <summary>
/// Puts the configured RTSP feeds into the registry and keeps their status honest by probing each one
/// with ffprobe: CONNECTED with the measured size and rate, or ERROR with the reason. Follows live
/// configuration changes: feeds added, removed or changed, and the probe interval.
/// </summary>
internal sealed partial class RtspFeeds(
    CameraRegistry registry,
    IOptionsMonitor<CamerasOptions> options,
    MediaProbe probe,
    FfmpegInput input,
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
        _subscription = options.OnChange(changed =>
        {
            lock (_gate)
            {
                _timer?.Period = TimeSpan.FromSeconds(changed.RtspProbeIntervalSeconds);
            }

            foreach (var feed in ApplyFeeds(changed.Rtsp))
            {
                _ = ProbeAsync(feed, _stopping);
            }
        });
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
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

    /// <summary>Probes every feed (or the one with id <paramref name="id"/>) now; returns how many.</summary>
    public async Task<int> RescanAsync(string? id, CancellationToken cancellationToken)
    {
        var feeds = Current().Where(f => id is null || f.Id == id).ToList();
        await Task.WhenAll(feeds.Select(feed => ProbeAsync(feed, cancellationToken))).ConfigureAwait(false);
        return feeds.Count;
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
            await Task.WhenAll(Current().Select(feed => ProbeAsync(feed, stoppingToken))).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private IReadOnlyList<RtspCameraOptions> Current()
    {
        lock (_gate)
        {
            return _feeds;
        }
    }

    private async Task ProbeAsync(RtspCameraOptions feed, CancellationToken cancellationToken)
    {
        if (!registry.TryGet(feed.Id, out var camera) || camera.Source is not RtspSource source)
        {
            return;
        }

        try
        {
            var url = await input.AuthorizedUrlAsync(source, cancellationToken).ConfigureAwait(false);
            var result = await probe.ProbeAsync(FfmpegInput.Rtsp(url, source.Transport), TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            if (!registry.TryGet(feed.Id, out var latest) || latest.Source != source)
            {
                return; // removed or changed while probing: the new definition gets its own probe
            }

            var resolution = result.Width > 0 ? new Resolution(result.Width, result.Height) : camera.Resolution;
            var fps = result.Fps > 0 ? (int)Math.Round(result.Fps) : camera.Fps;
            var capabilities = new CameraCapabilities([result.Codec ?? "unknown"], [resolution], [fps], ["snapshot", "streaming", "recording"], "probed");
            registry.Upsert(latest with { Status = CameraStatus.Connected, StatusReason = null, Resolution = resolution, Fps = fps, Capabilities = capabilities });
        }
        catch (ProbeException ex)
        {
            if (camera.Status != CameraStatus.Error || camera.StatusReason != ex.Message)
            {
                LogProbeFailed(logger, feed.Id, ex.Message);
            }

            SetError(feed.Id, source, ex.Message);
        }
        catch (MissingToolException ex)
        {
            SetError(feed.Id, source, ex.Message);
        }
        catch (Errors.DependencyException ex)
        {
            // The secret source could not be asked (sidecar away): say so, keep the feed.
            SetError(feed.Id, source, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void SetError(string id, RtspSource source, string reason)
    {
        if (registry.TryGet(id, out var latest) && latest.Source == source)
        {
            registry.Upsert(latest with { Status = CameraStatus.Error, StatusReason = reason });
        }
    }

    /// <summary>Everything that defines a feed, to tell a changed feed from a reloaded but equal one.</summary>
    private static string Signature(RtspCameraOptions f) =>
        string.Join('\n', f.Url, f.Name, f.Transport, f.Resolution, f.Fps, f.Username?.ToString() ?? "", f.Password?.ToString() ?? "");

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

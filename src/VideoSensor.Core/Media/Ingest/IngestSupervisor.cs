using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Cameras;
using VideoSensor.Errors;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Security;

namespace VideoSensor.Media.Ingest;

/// <summary>
/// Owns the active streams: starts a camera's ingest ffmpeg on demand, and stops it once nothing holds
/// it and MediaMTX has reported no readers for <c>auto_close_after</c> seconds.
/// </summary>
internal sealed partial class IngestSupervisor(
    CameraRegistry registry,
    FfmpegRunner ffmpeg,
    FfmpegInput input,
    MediaMtxState mediaMtx,
    MediaMtxClient client,
    ShortLivedCredentials credentials,
    SecretRedactor redactor,
    IOptions<MediaOptions> options,
    Capacity.CapacityTracker capacity,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService, IStreamActivator
{
    private readonly Dictionary<string, StreamSession> _sessions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILogger _logger = loggers.CreateLogger<IngestSupervisor>();

    public TimeSpan AutoCloseAfter => TimeSpan.FromSeconds(options.Value.MediaMtx.AutoCloseAfter);

    private TimeSpan PublishTimeout => TimeSpan.FromSeconds(options.Value.MediaMtx.PublishTimeoutSeconds);

    public async Task<StreamActivation> EnsureActiveAsync(string cameraId, bool hold, CancellationToken cancellationToken)
    {
        var session = await ActivateAsync(cameraId, cancellationToken).ConfigureAwait(false);
        lock (session)
        {
            if (hold)
            {
                session.Holds++;
            }

            session.LastActivity = time.GetUtcNow();
        }

        return new StreamActivation(cameraId, session.Since, session.Ingest is not null);
    }

    public void Release(string cameraId)
    {
        if (TryGet(cameraId) is { } session)
        {
            lock (session)
            {
                session.Holds = Math.Max(0, session.Holds - 1);
                session.LastActivity = time.GetUtcNow();
            }
        }
    }

    /// <summary>start_streaming: activates and remembers when the API asked.</summary>
    public async Task<StreamSession> StartByApiAsync(string cameraId, CancellationToken cancellationToken)
    {
        var session = await ActivateAsync(cameraId, cancellationToken).ConfigureAwait(false);
        lock (session)
        {
            session.ApiStarted ??= time.GetUtcNow();
            session.LastActivity = time.GetUtcNow();
        }

        return session;
    }

    /// <summary>stop_streaming: ends the stream unless a recording or snapshot still holds it. Null when nothing was active.</summary>
    public async Task<StreamSession?> StopByApiAsync(string cameraId)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        StreamSession? session;
        try
        {
            if (!_sessions.TryGetValue(cameraId, out session))
            {
                return null;
            }

            if (session.Holds == 0)
            {
                _sessions.Remove(cameraId);
                capacity.Release(cameraId, Capacity.CapacityPurpose.Stream);
            }
        }
        finally
        {
            _gate.Release();
        }

        if (session.Holds == 0 && session.Ingest is not null)
        {
            await session.Ingest.DisposeAsync().ConfigureAwait(false);
        }

        return session;
    }

    public StreamSession? TryGet(string cameraId)
    {
        _gate.Wait();
        try
        {
            return _sessions.GetValueOrDefault(cameraId);
        }
        finally
        {
            _gate.Release();
        }
    }

    public IReadOnlyList<StreamSession> Sessions()
    {
        _gate.Wait();
        try
        {
            return [.. _sessions.Values];
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<StreamSession> ActivateAsync(string cameraId, CancellationToken cancellationToken)
    {
        if (!registry.TryGet(cameraId, out var camera))
        {
            throw new NotFoundException("camera", cameraId, "call get_camera_list for the cameras this service has");
        }

        mediaMtx.EnsureRunning();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_sessions.TryGetValue(camera.Id, out var existing))
            {
                return existing;
            }

            // Every active stream takes a slot, pulled RTSP feeds included: MediaMTX carries their video too.
            capacity.Acquire(camera.Id, Capacity.CapacityPurpose.Stream);
            IngestProcess? ingest;
            try
            {
                // MediaMTX pulls RTSP feeds itself, unless the service republishes one with Opus audio for WebRTC.
                ingest = camera.Source is RtspSource { OpusForWebRtc: false } ? null : await StartIngestAsync(camera, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                capacity.Release(camera.Id, Capacity.CapacityPurpose.Stream);
                throw;
            }

            var session = new StreamSession(camera.Id, time.GetUtcNow(), ingest);
            _sessions[camera.Id] = session;
            return session;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IngestProcess> StartIngestAsync(Camera camera, CancellationToken cancellationToken)
    {
        string binary;
        try
        {
            binary = ffmpeg.FfmpegPath;
        }
        catch (MissingToolException ex)
        {
            throw new DependencyException("ffmpeg", ex.Message, "install ffmpeg or set media.ffmpeg_path");
        }

        var o = options.Value;
        LogActivating(_logger, camera.Id);
        // Every run (first start and each restart) publishes with a credential of its own, dead soon after use.
        var ingest = new IngestProcess(camera.Id, binary, ct => input.ArgumentsAsync(camera.Source, ct), IngestStreams.For(camera.Source, camera.Fps),
            () => credentials.LocalRtspUrl(o.RtspPort, camera.Id, "publish"),
            new Backoff(o.MediaMtx.RestartMin, o.MediaMtx.RestartMax), redactor, time, _logger);
        await ingest.FirstAttempt.WaitAsync(cancellationToken).ConfigureAwait(false);
        return ingest;
    }

    /// <summary>
    /// MediaMTX cannot push "last reader left" to the service, so reader counts are read on a timer
    /// a few times per idle period.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(Math.Clamp(options.Value.MediaMtx.AutoCloseAfter / 4.0, 0.25, 5));
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await CloseIdleAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    internal async Task CloseIdleAsync(CancellationToken cancellationToken)
    {
        if (!mediaMtx.IsRunning)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var session in Sessions())
        {
            MtxPath? path;
            try
            {
                path = await client.GetPathAsync(session.CameraId, cancellationToken).ConfigureAwait(false);
            }
            catch (MediaMtxException)
            {
                continue;
            }

            var readers = path?.Readers.Count ?? 0;
            // A reader held by MediaMTX while the ingest it woke starts is not listed as a reader yet: an ingest that
            // has not published within the publish timeout is not idle, or a slow start would be closed under it.
            var starting = path is not { IsReady: true } && now - session.Since < PublishTimeout;
            bool idle;
            lock (session)
            {
                if (readers > 0 || session.Holds > 0 || starting)
                {
                    session.LastActivity = now;
                }

                idle = now - session.LastActivity >= AutoCloseAfter;
            }

            if (idle)
            {
                LogIdle(_logger, session.CameraId, AutoCloseAfter.TotalSeconds);
                await StopByApiAsync(session.CameraId).ConfigureAwait(false);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        foreach (var session in Sessions())
        {
            capacity.Release(session.CameraId, Capacity.CapacityPurpose.Stream);
            if (session.Ingest is not null)
            {
                await session.Ingest.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Activating the stream of {Camera}")]
    private static partial void LogActivating(ILogger logger, string camera);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream of {Camera} had no readers for {Seconds} s; stopping its ingest")]
    private static partial void LogIdle(ILogger logger, string camera, double seconds);
}

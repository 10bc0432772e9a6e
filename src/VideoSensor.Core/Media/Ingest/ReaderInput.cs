using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Cameras;
using VideoSensor.Errors;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Security;

namespace VideoSensor.Media.Ingest;

/// <summary>
/// Where the service's own readers (recorders, snapshots) read a camera. While MediaMTX runs they read the
/// camera's MediaMTX path with the internal credential, holding the stream active meanwhile: one connection
/// to the camera however many readers there are, and a USB device the ingest has open stays readable.
/// Without MediaMTX, or when the path cannot be had, they read the camera's own source as before.
/// </summary>
internal sealed partial class ReaderInput(
    FfmpegInput input,
    IStreamActivator activator,
    MediaMtxState mediaMtx,
    PathReadiness readiness,
    ShortLivedCredentials credentials,
    IOptions<MediaOptions> options,
    ILogger<ReaderInput> logger)
{
    /// <summary>Opens the camera for one reader; dispose the result when the reader is done.</summary>
    public async Task<ReaderLease> OpenAsync(Camera camera, CancellationToken cancellationToken)
    {
        if (mediaMtx.IsRunning)
        {
            var viaPath = await TryOpenPathAsync(camera, cancellationToken).ConfigureAwait(false);
            if (viaPath is not null)
            {
                return viaPath;
            }
        }

        var arguments = await input.ArgumentsAsync(camera.Source, cancellationToken).ConfigureAwait(false);
        return new ReaderLease(arguments, camera.Source is RtspSource, viaMediaMtx: false, release: null);
    }

    private async Task<ReaderLease?> TryOpenPathAsync(Camera camera, CancellationToken cancellationToken)
    {
        StreamActivation activation;
        try
        {
            activation = await activator.EnsureActiveAsync(camera.Id, hold: true, cancellationToken).ConfigureAwait(false);
        }
        catch (SensorException ex)
        {
            LogDirect(logger, camera.Id, ex.Message);
            return null;
        }

        try
        {
            // An ingest the service just started must publish first, or the read fails.
            if (!await readiness.WaitUntilPublishedAsync(activation, cancellationToken).ConfigureAwait(false))
            {
                LogDirect(logger, camera.Id, $"nothing was published on the path within {readiness.Timeout.TotalSeconds:0.#} s");
                activator.Release(camera.Id);
                return null;
            }
        }
        catch
        {
            activator.Release(camera.Id);
            throw;
        }

        return new ReaderLease(PathInput(camera.Id), encoded: true, viaMediaMtx: true, release: () => activator.Release(camera.Id));
    }

    /// <summary>
    /// ffmpeg input that reads the camera's MediaMTX path (RTP over TCP) with a credential issued for this one read:
    /// good for this path only, dead seconds after its first use, and handed over on the child's standard input.
    /// </summary>
    public InputArguments PathInput(string cameraId) => FfmpegInput.Rtsp(credentials.LocalRtspUrl(options.Value.RtspPort, cameraId, "read"), "tcp");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading {Camera} from its own source instead of MediaMTX: {Reason}")]
    private static partial void LogDirect(ILogger logger, string camera, string reason);
}

/// <summary>
/// One reader's input: ffmpeg input arguments (a credential, when there is one, is in its standard input: never log
/// that), whether the video arrives H.264-encoded, and the stream hold given back on dispose.
/// </summary>
internal sealed class ReaderLease(InputArguments input, bool encoded, bool viaMediaMtx, Action? release) : IDisposable
{
    private Action? _release = release;

    public InputArguments Input { get; } = input;

    /// <summary>True for H.264 that can be copied; false for raw sources that must be encoded.</summary>
    public bool Encoded { get; } = encoded;

    /// <summary>True when the reader reads the camera's MediaMTX path.</summary>
    public bool ViaMediaMtx { get; } = viaMediaMtx;

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}

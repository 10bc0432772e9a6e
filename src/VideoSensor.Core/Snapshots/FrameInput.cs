using VideoSensor.Cameras;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Media.Ingest;

namespace VideoSensor.Snapshots;

/// <summary>Where one grabbed frame is read from; dispose it when ffmpeg is done (gives back a stream hold).</summary>
internal sealed class FrameLease(InputArguments input, SnapshotSource source, IDisposable? reader, string? liveFrameFile = null) : IDisposable
{
    public InputArguments Input { get; } = input;
    public SnapshotSource Source { get; } = source;

    /// <summary>The recorder's latest-frame JPEG when <see cref="Source"/> is <see cref="SnapshotSource.LiveFrame"/>.</summary>
    public string? LiveFrameFile { get; } = liveFrameFile;

    public void Dispose() => reader?.Dispose();
}

/// <summary>
/// Chooses the input of a one-frame grab (snapshot or preview): a running recorder's latest frame while it is
/// fresh (no new connection at all), otherwise the camera's MediaMTX path or its own source.
/// </summary>
internal sealed class FrameInput(ReaderInput input, IEnumerable<ILatestFrameSource> liveFrames)
{
    /// <summary>A live frame older than this is stale (the reader stalled): read the camera instead.</summary>
    private static readonly TimeSpan LiveFrameMaxAge = TimeSpan.FromSeconds(3);
    private readonly ILatestFrameSource[] _liveFrames = [.. liveFrames];

    public async Task<FrameLease> OpenAsync(Camera camera, CancellationToken cancellationToken)
    {
        var liveFrame = _liveFrames.Select(f => f.LatestFrame(camera.Id, LiveFrameMaxAge)).FirstOrDefault(p => p is not null);
        if (liveFrame is not null)
        {
            return new FrameLease(new InputArguments(["-i", liveFrame]), SnapshotSource.LiveFrame, reader: null, liveFrame);
        }

        var reader = await input.OpenAsync(camera, cancellationToken).ConfigureAwait(false);
        return new FrameLease(reader.Input, reader.ViaMediaMtx ? SnapshotSource.MediaMtx : SnapshotSource.Camera, reader);
    }
}

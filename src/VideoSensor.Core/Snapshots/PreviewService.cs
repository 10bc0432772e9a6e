using System.Globalization;
using Microsoft.Extensions.Options;
using VideoSensor.Cameras;
using VideoSensor.Errors;
using VideoSensor.Media;
using VideoSensor.Media.Ffmpeg;

namespace VideoSensor.Snapshots;

/// <summary>A camera's current picture as JPEG bytes, with when and from where it was grabbed.</summary>
internal sealed record Preview(byte[] Jpeg, DateTimeOffset Taken, SnapshotSource Source);

/// <summary>
/// Live previews for viewers (the web console's picture when no video plays): one frame grabbed like a snapshot
/// but kept in memory — never stored, never announced as an event — so a console left open does not write to
/// the disk or flood the platform. Requests for the same camera and size within <see cref="ShareWindow"/> share
/// one grab, so any number of open consoles cost one ffmpeg per camera per refresh.
/// </summary>
internal sealed class PreviewService(
    FfmpegRunner ffmpeg,
    FrameInput input,
    IOptions<MediaOptions> options,
    TimeProvider time) : IDisposable
{
    public const int MinWidth = 16;
    public const int MaxWidth = 3840;

    /// <summary>How long a grabbed preview is handed to later requests: about one console refresh.</summary>
    public static readonly TimeSpan ShareWindow = TimeSpan.FromSeconds(1);

    private const int Quality = 70;
    private readonly SemaphoreSlim _parallel = new(options.Value.MaxParallelSnapshots);
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Camera, int Width), (DateTimeOffset Started, Task<Preview> Grab)> _recent = [];

    public Task<Preview> GetAsync(Camera camera, int maxWidth, CancellationToken cancellationToken)
    {
        camera.RequireConnected();

        var key = (camera.Id, maxWidth);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_recent.TryGetValue(key, out var recent) && now - recent.Started < ShareWindow && !recent.Grab.IsFaulted && !recent.Grab.IsCanceled)
            {
                return recent.Grab.WaitAsync(cancellationToken);
            }

            // One grab serves everyone who asks meanwhile, so it does not follow any single caller's cancellation.
            var grab = GrabAsync(camera, maxWidth);
            _recent[key] = (now, grab);
            foreach (var stale in _recent.Where(r => now - r.Value.Started >= ShareWindow && r.Value.Grab.IsCompleted).Select(r => r.Key).ToList())
            {
                _recent.Remove(stale);
            }

            return grab.WaitAsync(cancellationToken);
        }
    }

    private async Task<Preview> GrabAsync(Camera camera, int maxWidth)
    {
        await _parallel.WaitAsync().ConfigureAwait(false);
        try
        {
            var taken = time.GetUtcNow();
            using var frame = await input.OpenAsync(camera, CancellationToken.None).ConfigureAwait(false);
            var arguments = new List<string>(frame.Input.Arguments) { "-frames:v", "1" };
            arguments.AddRange(SnapshotService.ScaleArguments(maxWidth, null));
            arguments.AddRange(["-f", "image2pipe", "-c:v", "mjpeg", "-q:v", SnapshotService.JpegScale(Quality).ToString(CultureInfo.InvariantCulture), "pipe:1"]);
            using var jpeg = new MemoryStream();
            FfmpegResult result;
            try
            {
                result = await ffmpeg.RunAsync(arguments, TimeSpan.FromSeconds(options.Value.SnapshotTimeoutSeconds), CancellationToken.None, jpeg, frame.Input.StandardInput).ConfigureAwait(false);
            }
            catch (MissingToolException ex)
            {
                throw new DependencyException("ffmpeg", ex.Message, "install ffmpeg or set media.ffmpeg_path");
            }

            if (!result.Succeeded || jpeg.Length == 0)
            {
                throw SnapshotService.GrabFailed(camera, result);
            }

            return new Preview(jpeg.ToArray(), taken, frame.Source);
        }
        finally
        {
            _parallel.Release();
        }
    }

    public void Dispose() => _parallel.Dispose();
}

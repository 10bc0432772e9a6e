using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Cameras;
using VideoSensor.Errors;
using VideoSensor.Hosting.Telemetry;
using VideoSensor.Media;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Platform.Events;
using VideoSensor.Storage;

namespace VideoSensor.Snapshots;

/// <summary>Grabs one frame from a camera with ffmpeg and stores it as JPEG or PNG.</summary>
internal sealed partial class SnapshotService(
    FfmpegRunner ffmpeg,
    FrameInput input,
    FileStore store,
    EventHub events,
    SensorMetrics metrics,
    IOptions<MediaOptions> options,
    TimeProvider time,
    ILogger<SnapshotService> logger) : IDisposable
{
    private readonly SemaphoreSlim _parallel = new(options.Value.MaxParallelSnapshots);

    public async Task<Snapshot> TakeAsync(Camera camera, SnapshotRequest request, CancellationToken cancellationToken)
    {
        camera.RequireConnected();

        var extension = request.Format == SnapshotFormat.Png ? "png" : "jpg";
        var requested = request.FileName is null ? null
            : FileNames.Requested(request.FileName, extension) ?? throw new InvalidParameterException("filename", FileNames.RequestedRule, "'filename' is not an acceptable file name");
        // A bounded wait: under more snapshot requests than ffmpeg can serve, callers hear "busy" after one
        // snapshot timeout instead of queueing without end.
        if (!await _parallel.WaitAsync(TimeSpan.FromSeconds(options.Value.SnapshotTimeoutSeconds), cancellationToken).ConfigureAwait(false))
        {
            throw new DependencyException("ffmpeg", $"{options.Value.MaxParallelSnapshots} snapshots are already being taken", "retry in a moment")
            {
                Reason = "busy",
            };
        }

        try
        {
            // The name is reserved (its .partial created exclusively) before ffmpeg runs, and the partial file
            // is removed on every way out but success: concurrent requests never collide, nothing is left behind.
            var reservation = store.Reserve(FileKind.Snapshot, camera.Id, extension, requested);
            var published = false;
            try
            {
                var snapshot = await GrabAsync(camera, request, reservation, cancellationToken).ConfigureAwait(false);
                published = true;
                return snapshot;
            }
            finally
            {
                if (!published)
                {
                    TryDelete(reservation.PartialPath);
                }
            }
        }
        finally
        {
            _parallel.Release();
        }
    }

    private async Task<Snapshot> GrabAsync(Camera camera, SnapshotRequest request, Reservation reservation, CancellationToken cancellationToken)
    {
        var timestamp = time.GetUtcNow();
        using var frame = await input.OpenAsync(camera, cancellationToken).ConfigureAwait(false);
        var arguments = new List<string>(frame.Input.Arguments);
        arguments.AddRange(OutputArguments(request, reservation.PartialPath));
        var result = await ffmpeg.RunAsync(arguments, TimeSpan.FromSeconds(options.Value.SnapshotTimeoutSeconds), cancellationToken, standardInput: frame.Input.StandardInput).ConfigureAwait(false);
        if (!result.Succeeded || !File.Exists(reservation.PartialPath) || new FileInfo(reservation.PartialPath).Length == 0)
        {
            metrics.SnapshotFailed(camera.Id);
            LogSnapshotFailed(logger, camera.Id, result.Reason);
            events.Publish(EventTopics.SnapshotError, camera.Id, new Dictionary<string, object?> { ["error"] = result.Reason });
            throw GrabFailed(camera, result);
        }

        FileStore.Publish(reservation);
        var fullPath = reservation.FullPath;
        var size = new FileInfo(fullPath).Length;
        var dimensions = ImageSize.TryRead(fullPath) ?? (0, 0);
        metrics.SnapshotTaken(camera.Id, result.Duration);
        var snapshot = new Snapshot(camera.Id, reservation.FileName, fullPath, size, timestamp, dimensions.Item1, dimensions.Item2, result.Duration, frame.Source);
        events.Publish(EventTopics.SnapshotTaken, camera.Id, new Dictionary<string, object?>
        {
            ["filename"] = reservation.FileName,
            ["file_size"] = size,
            ["resolution"] = $"{snapshot.Width}x{snapshot.Height}",
        });
        return snapshot;
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogPartialLeft(logger, Path.GetFileName(path), ex.Message);
        }
    }

    /// <summary>One frame, scaled down (never up) to fit the limits keeping the aspect ratio, then encoded.</summary>
    internal static IEnumerable<string> OutputArguments(SnapshotRequest request, string outputPath)
    {
        yield return "-frames:v";
        yield return "1";
        foreach (var argument in ScaleArguments(request.MaxWidth, request.MaxHeight))
        {
            yield return argument;
        }

        if (request.Format == SnapshotFormat.Png)
        {
            yield return "-f";
            yield return "image2";
            yield return "-c:v";
            yield return "png";
        }
        else
        {
            yield return "-f";
            yield return "image2";
            yield return "-c:v";
            yield return "mjpeg";
            yield return "-q:v";
            yield return JpegScale(request.Quality).ToString(CultureInfo.InvariantCulture);
        }

        yield return "-y";
        yield return outputPath;
    }

    /// <summary>The -32050 for a frame grab ffmpeg could not make (snapshot or preview).</summary>
    internal static DependencyException GrabFailed(Camera camera, FfmpegResult result) =>
        new("ffmpeg", result.Reason, camera.Kind == CameraKind.Rtsp
            ? "check that the camera is reachable and its credentials are right"
            : "check the service log for the ffmpeg output");

    /// <summary>A scale filter that fits the limits keeping the aspect ratio and never enlarges; nothing without limits.</summary>
    internal static IEnumerable<string> ScaleArguments(int? maxWidth, int? maxHeight)
    {
        if (maxWidth is null && maxHeight is null)
        {
            yield break;
        }

        var w = maxWidth?.ToString(CultureInfo.InvariantCulture) ?? "iw";
        var h = maxHeight?.ToString(CultureInfo.InvariantCulture) ?? "ih";
        yield return "-vf";
        yield return $"scale=w='min(iw,{w})':h='min(ih,{h})':force_original_aspect_ratio=decrease";
    }

    /// <summary>Maps quality 1–100 (higher is better) onto ffmpeg's mjpeg qscale 31–2 (lower is better).</summary>
    internal static int JpegScale(int quality) => (int)Math.Round(31 - ((Math.Clamp(quality, 1, 100) - 1) * 29.0 / 99));

    public void Dispose() => _parallel.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove the unfinished snapshot {File}: {Reason}")]
    private static partial void LogPartialLeft(ILogger logger, string file, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of {Camera} failed: {Reason}")]
    private static partial void LogSnapshotFailed(ILogger logger, string camera, string reason);
}

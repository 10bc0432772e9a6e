using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Cameras;
using VideoSensor.Errors;
using VideoSensor.Telemetry;
using VideoSensor.Media;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Events;
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

    private readonly ConcurrentDictionary<GrabKey, Task<Grab>> _inFlight = new();

    public async Task<Snapshot> TakeAsync(Camera camera, SnapshotRequest request, CancellationToken cancellationToken)
    {
        camera.RequireConnected();

        var extension = request.Format == SnapshotFormat.Png ? "png" : "jpg";
        var requested = request.FileName is null ? null
            : FileNames.Requested(request.FileName, extension) ?? throw new InvalidParameterException("filename", FileNames.RequestedRule, "'filename' is not an acceptable file name");
        // The name is reserved (its .partial created exclusively) before anything is written, and the partial file
        // is removed on every way out but success: concurrent requests never collide, nothing is left behind.
        var reservation = store.Reserve(FileKind.Snapshot, camera.Id, extension, requested);
        var published = false;
        try
        {
            var grab = await ProduceAsync(camera, request, reservation.PartialPath, cancellationToken).ConfigureAwait(false);
            var snapshot = Publish(camera, reservation, grab);
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

    /// <summary>
    /// Writes the picture to <paramref name="outputPath"/>. Requests for the same camera and output that arrive while
    /// a grab for them runs share its picture (written to their own file) instead of starting ffmpeg again, so a
    /// burst of snapshots costs one grab, and the ffmpeg slots stay free for other cameras.
    /// </summary>
    private async Task<Grab> ProduceAsync(Camera camera, SnapshotRequest request, string outputPath, CancellationToken cancellationToken)
    {
        var key = new GrabKey(camera.Id, request.Format, request.Quality, request.MaxWidth, request.MaxHeight);
        while (true)
        {
            if (_inFlight.TryGetValue(key, out var running))
            {
                Grab shared;
                try
                {
                    shared = await running.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The request that led the grab went away: take the next one (or lead it).
                    continue;
                }

                if (shared.Picture is not null)
                {
                    await File.WriteAllBytesAsync(outputPath, shared.Picture, cancellationToken).ConfigureAwait(false);
                }

                return shared;
            }

            var lead = new TaskCompletionSource<Grab>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_inFlight.TryAdd(key, lead.Task))
            {
                continue;
            }

            try
            {
                var grab = await GrabAsync(camera, request, outputPath, cancellationToken).ConfigureAwait(false);
                lead.SetResult(grab);
                return grab;
            }
            catch (Exception ex)
            {
                lead.SetException(ex);
                throw;
            }
            finally
            {
                _inFlight.TryRemove(new KeyValuePair<GrabKey, Task<Grab>>(key, lead.Task));
            }
        }
    }

    /// <summary>One grab into <paramref name="outputPath"/>, in one of the bounded ffmpeg slots.</summary>
    private async Task<Grab> GrabAsync(Camera camera, SnapshotRequest request, string outputPath, CancellationToken cancellationToken)
    {
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
            var timestamp = time.GetUtcNow();
            using var frame = await input.OpenAsync(camera, cancellationToken).ConfigureAwait(false);
            var result = frame.LiveFrameFile is { } live && TakesLiveFrameAsIs(request)
                ? CopyLiveFrame(live, outputPath)
                : await EncodeAsync(frame, request, outputPath, cancellationToken).ConfigureAwait(false);
            var picture = result.Succeeded && File.Exists(outputPath) && new FileInfo(outputPath).Length > 0
                ? await File.ReadAllBytesAsync(outputPath, cancellationToken).ConfigureAwait(false)
                : null;
            return new Grab(result, picture, frame.Source, timestamp);
        }
        finally
        {
            _parallel.Release();
        }
    }

    private Snapshot Publish(Camera camera, Reservation reservation, Grab grab)
    {
        if (grab.Picture is null)
        {
            metrics.SnapshotFailed(camera.Id);
            LogSnapshotFailed(logger, camera.Id, grab.Result.Reason);
            events.Publish(new SnapshotFailed(camera.Id, grab.Result.Reason));
            throw GrabFailed(camera, grab.Result);
        }

        store.Publish(reservation);
        var fullPath = reservation.FullPath;
        var size = new FileInfo(fullPath).Length;
        var dimensions = ImageSize.TryRead(fullPath) ?? (0, 0);
        metrics.SnapshotTaken(camera.Id, grab.Result.Duration);
        var snapshot = new Snapshot(camera.Id, reservation.FileName, fullPath, size, grab.Timestamp, dimensions.Item1, dimensions.Item2, grab.Result.Duration, grab.Source);
        events.Publish(new SnapshotTaken(camera.Id, reservation.FileName, size, snapshot.Width, snapshot.Height));
        return snapshot;
    }

    /// <summary>What makes two snapshot requests want the same picture.</summary>
    private sealed record GrabKey(string Camera, SnapshotFormat Format, int Quality, int? MaxWidth, int? MaxHeight);

    /// <summary>One grab's outcome; <paramref name="Picture"/> is the encoded image, null when the grab failed.</summary>
    private sealed record Grab(FfmpegResult Result, byte[]? Picture, SnapshotSource Source, DateTimeOffset Timestamp);

    private Task<FfmpegResult> EncodeAsync(FrameLease frame, SnapshotRequest request, string outputPath, CancellationToken cancellationToken)
    {
        var arguments = new List<string>(frame.Input.Arguments);
        arguments.AddRange(OutputArguments(request, outputPath));
        return ffmpeg.RunAsync(arguments, TimeSpan.FromSeconds(options.Value.SnapshotTimeoutSeconds), cancellationToken, standardInput: frame.Input.StandardInput);
    }

    /// <summary>
    /// A JPEG at full size whose quality the recorder's latest frame already meets (it is written at
    /// <see cref="LiveFrameJpegScale"/>): the frame is the snapshot, copied as it is. No ffmpeg per request, so a
    /// burst of snapshots during a recording costs file copies, not processes.
    /// </summary>
    internal static bool TakesLiveFrameAsIs(SnapshotRequest request) =>
        request.Format == SnapshotFormat.Jpg && request.MaxWidth is null && request.MaxHeight is null && JpegScale(request.Quality) >= LiveFrameJpegScale;

    /// <summary>The mjpeg <c>-q:v</c> of the recorder's latest-frame output (lower is better).</summary>
    internal const int LiveFrameJpegScale = 3;

    private static FfmpegResult CopyLiveFrame(string liveFrame, string outputPath)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            // The recorder replaces the file by rename (atomic writing), so a copy reads one whole picture.
            File.Copy(liveFrame, outputPath, overwrite: true);
            return new FfmpegResult(0, System.Diagnostics.Stopwatch.GetElapsedTime(started), [], TimedOut: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new FfmpegResult(1, System.Diagnostics.Stopwatch.GetElapsedTime(started), [$"could not copy the live frame: {ex.Message}"], TimedOut: false);
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            store.NoteChange();
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

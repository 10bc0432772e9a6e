using VideoSensor.Requests;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using VideoSensor.Cameras;
using VideoSensor.Contracts;
using VideoSensor.Errors;
using VideoSensor.Security;
using VideoSensor.Storage;

namespace VideoSensor.Snapshots;

/// <summary>
/// Take one snapshot: the single implementation behind JSON-RPC <c>take_snapshot</c>, REST
/// <c>POST /api/v1/cameras/{id}/snapshot</c> and the Dapr <c>snapshot</c> command. The transports only translate
/// their input into a <see cref="TakeSnapshotRequest"/> and the result or <see cref="SensorException"/> back out.
/// </summary>
internal sealed class TakeSnapshot(CameraRegistry registry, SnapshotService snapshots, IOptions<StorageOptions> storage)
{
    /// <summary>Who may ask for it, declared once; the transports enforce it (a platform command is trusted).</summary>
    public const Role Access = Role.Operator;

    public async Task<SnapshotResult> ExecuteAsync(TakeSnapshotRequest request, CancellationToken cancellationToken)
    {
        request.Validate();
        var camera = registry.Get(request.Device);
        var format = request.Format is "png" ? SnapshotFormat.Png : SnapshotFormat.Jpg;
        var snapshot = await snapshots.TakeAsync(camera, new SnapshotRequest(request.Filename, format, request.Quality ?? 85, request.MaxWidth, request.MaxHeight), cancellationToken).ConfigureAwait(false);
        return new SnapshotResult(
            snapshot.Device,
            snapshot.FileName,
            "SUCCESS",
            snapshot.Timestamp.UtcDateTime.ToString("O"),
            snapshot.FileSize,
            // Relative to storage.root: the server's own folders are none of a client's business; download_url fetches the file.
            Path.GetRelativePath(storage.Value.RootPath, snapshot.FullPath).Replace(Path.DirectorySeparatorChar, '/'),
            $"/files/snapshots/{Uri.EscapeDataString(snapshot.FileName)}",
            $"{snapshot.Width}x{snapshot.Height}",
            format == SnapshotFormat.Png ? "png" : "jpg",
            Math.Round(snapshot.Took.TotalMilliseconds),
            snapshot.SourceName);
    }
}

/// <summary>What to snapshot and how: <c>{device, filename?, format?, quality?, max_width?, max_height?}</c>.</summary>
internal sealed class TakeSnapshotRequest : IValidatedRequest
{
    public required string Device { get; init; }
    public string? Filename { get; init; }
    public string? Format { get; init; }
    public int? Quality { get; init; }
    public int? MaxWidth { get; init; }
    public int? MaxHeight { get; init; }

    public void Validate()
    {
        RequestRules.Device(Device);
        RequestRules.OneOf(Format, "format", "jpg", "jpeg", "png");
        RequestRules.Range(Quality, 1, 100, "quality");
        RequestRules.Range(MaxWidth, 16, 16384, "max_width");
        RequestRules.Range(MaxHeight, 16, 16384, "max_height");
        if (Filename is not null && (Filename.Contains('/', StringComparison.Ordinal) || Filename.Contains('\\', StringComparison.Ordinal) || Filename.Contains("..", StringComparison.Ordinal)))
        {
            throw RequestRules.Invalid("filename", FileNames.RequestedRule, "'filename' must not contain a path");
        }

        // A name outside the rule is refused, never silently renamed or truncated.
        if (Filename is not null && FileNames.Requested(Filename, Format is "png" ? "png" : "jpg") is null)
        {
            throw RequestRules.Invalid("filename", FileNames.RequestedRule, "'filename' is not an acceptable file name");
        }
    }
}

/// <summary>The stored snapshot, as every transport reports it.</summary>
internal sealed record SnapshotResult(string Device, string Filename, [property: AllowedValues("SUCCESS", "FAILED")] string Status, string Timestamp, long FileSize, string FilePath, string DownloadUrl, string Resolution, string Format, double DurationMs, string Source);

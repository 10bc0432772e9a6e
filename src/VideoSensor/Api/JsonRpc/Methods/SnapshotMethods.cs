using System.ComponentModel.DataAnnotations;
using VideoSensor.Errors;
using VideoSensor.Snapshots;
using VideoSensor.Storage;

namespace VideoSensor.Api.JsonRpc.Methods;

/// <summary>Taking, listing, describing and deleting snapshots.</summary>
internal sealed class SnapshotMethods(SnapshotService snapshots, FileStore store, CameraLookup lookup, Microsoft.Extensions.Options.IOptions<StorageOptions> storage) : IRpcMethodGroup
{
    [RpcErrors(RpcErrorCodes.NotFound, RpcErrorCodes.InvalidState, RpcErrorCodes.DependencyFailed)]
    [RpcMethod("take_snapshot", RpcAccess.Operator, "Grabs one frame from a camera and stores it.", Result = "{device, filename, status, timestamp, file_size, file_path, download_url, resolution, format, duration_ms, source}")]
    public async Task<SnapshotResult> TakeSnapshotAsync(TakeSnapshotParams request, CancellationToken cancellationToken)
    {
        var camera = lookup.Get(request.Device);
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

    [RpcMethod("list_snapshots", RpcAccess.Viewer, "Stored snapshots, newest first, paginated.", Result = "{files, total, limit, offset}")]
    public FileList<SnapshotFile> ListSnapshots(ListFilesParams request)
    {
        var all = store.List(FileKind.Snapshot, request.Device);
        var limit = request.Limit ?? 50;
        var offset = request.Offset ?? 0;
        var page = all.Skip(offset).Take(limit)
            .Select(f => new SnapshotFile(f.Device, f.FileName, f.Size, f.ModifiedTime.UtcDateTime.ToString("O"), f.DownloadUrl))
            .ToList();
        return new FileList<SnapshotFile>(page, all.Count, limit, offset);
    }

    [RpcErrors(RpcErrorCodes.NotFound)]
    [RpcMethod("get_snapshot_info", RpcAccess.Viewer, "Size, time, format and resolution of one snapshot.", Result = "{filename, file_size, created_time, format, resolution, device, download_url}")]
    public SnapshotInfo GetSnapshotInfo(FileNameParams request)
    {
        var file = Find(request.Filename);
        var size = ImageSize.TryRead(file.FullPath);
        return new SnapshotInfo(
            file.FileName,
            file.Size,
            file.CreatedTime.UtcDateTime.ToString("O"),
            Path.GetExtension(file.FileName).TrimStart('.').ToLowerInvariant(),
            size is { } s ? $"{s.Width}x{s.Height}" : null,
            file.Device,
            file.DownloadUrl);
    }

    [RpcErrors(RpcErrorCodes.NotFound, RpcErrorCodes.InvalidState)]
    [RpcMethod("delete_snapshot", RpcAccess.Operator, "Deletes one snapshot.", Result = "{filename, deleted, message}")]
    public DeleteResult DeleteSnapshot(FileNameParams request)
    {
        var file = Find(request.Filename);
        store.Delete(FileKind.Snapshot, file.FileName);
        return new DeleteResult(file.FileName, true, "snapshot deleted");
    }

    private StoredFile Find(string fileName) => store.TryFind(FileKind.Snapshot, fileName, out var file)
        ? file
        : throw new NotFoundException("snapshot", fileName, "call list_snapshots for the stored snapshots");
}

internal sealed class TakeSnapshotParams : IValidatedParams
{
    public required string Device { get; init; }
    public string? Filename { get; init; }
    public string? Format { get; init; }
    public int? Quality { get; init; }
    public int? MaxWidth { get; init; }
    public int? MaxHeight { get; init; }

    public void Validate()
    {
        ParamRules.Device(Device);
        ParamRules.OneOf(Format, "format", "jpg", "jpeg", "png");
        ParamRules.Range(Quality, 1, 100, "quality");
        ParamRules.Range(MaxWidth, 16, 16384, "max_width");
        ParamRules.Range(MaxHeight, 16, 16384, "max_height");
        if (Filename is not null && (Filename.Contains('/', StringComparison.Ordinal) || Filename.Contains('\\', StringComparison.Ordinal) || Filename.Contains("..", StringComparison.Ordinal)))
        {
            throw ParamRules.Invalid("filename", FileNames.RequestedRule, "'filename' must not contain a path");
        }

        // A name outside the rule is refused, never silently renamed or truncated.
        if (Filename is not null && FileNames.Requested(Filename, Format is "png" ? "png" : "jpg") is null)
        {
            throw ParamRules.Invalid("filename", FileNames.RequestedRule, "'filename' is not an acceptable file name");
        }
    }
}

internal sealed class ListFilesParams : IValidatedParams
{
    public int? Limit { get; init; }
    public int? Offset { get; init; }
    public string? Device { get; init; }

    public void Validate()
    {
        ParamRules.Range(Limit, 1, 1000, "limit");
        ParamRules.Range(Offset, 0, int.MaxValue, "offset");
        ParamRules.OptionalDevice(Device);
    }
}

internal sealed class FileNameParams : IValidatedParams
{
    public required string Filename { get; init; }

    public void Validate() => ParamRules.FileName(Filename);
}

internal sealed record SnapshotResult(string Device, string Filename, [property: AllowedValues("SUCCESS", "FAILED")] string Status, string Timestamp, long FileSize, string FilePath, string DownloadUrl, string Resolution, string Format, double DurationMs, string Source);

internal sealed record SnapshotFile(string Device, string Filename, long FileSize, string ModifiedTime, string DownloadUrl);

internal sealed record FileList<T>(IReadOnlyList<T> Files, int Total, int Limit, int Offset);

internal sealed record SnapshotInfo(string Filename, long FileSize, string CreatedTime, string Format, string? Resolution, string Device, string DownloadUrl);

internal sealed record DeleteResult(string Filename, bool Deleted, string Message);

using VideoSensor.Requests;
using VideoSensor.Contracts;
using System.ComponentModel.DataAnnotations;
using VideoSensor.Errors;
using VideoSensor.Snapshots;
using VideoSensor.Storage;
using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc.Methods;

/// <summary>Taking, listing, describing and deleting snapshots.</summary>
internal sealed partial class SnapshotMethods(TakeSnapshot takeSnapshot, FileStore store) : IRpcMethodGroup
{
    [RpcErrors(RpcErrorCodes.NotFound, RpcErrorCodes.InvalidState, RpcErrorCodes.DependencyFailed)]
    [RpcMethod("take_snapshot", TakeSnapshot.Access, "Grabs one frame from a camera and stores it.", Result = "{device, filename, status, timestamp, file_size, file_path, download_url, resolution, format, duration_ms, source}")]
    public Task<SnapshotResult> TakeSnapshotAsync(TakeSnapshotRequest request, CancellationToken cancellationToken) =>
        takeSnapshot.ExecuteAsync(request, cancellationToken);

    [RpcMethod("list_snapshots", Role.Viewer, "Stored snapshots, newest first, paginated.", Result = "{files, total, limit, offset}")]
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
    [RpcMethod("get_snapshot_info", Role.Viewer, "Size, time, format and resolution of one snapshot.", Result = "{filename, file_size, created_time, format, resolution, device, download_url}")]
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
    [RpcMethod("delete_snapshot", Role.Operator, "Deletes one snapshot.", Result = "{filename, deleted, message}")]
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

internal sealed class ListFilesParams : IValidatedRequest
{
    public int? Limit { get; init; }
    public int? Offset { get; init; }
    public string? Device { get; init; }

    public void Validate()
    {
        RequestRules.Range(Limit, 1, 1000, "limit");
        RequestRules.Range(Offset, 0, int.MaxValue, "offset");
        RequestRules.OptionalDevice(Device);
    }
}

internal sealed class FileNameParams : IValidatedRequest
{
    public required string Filename { get; init; }

    public void Validate() => RequestRules.FileName(Filename);
}

internal sealed record SnapshotFile(string Device, string Filename, long FileSize, string ModifiedTime, string DownloadUrl);

internal sealed record FileList<T>(IReadOnlyList<T> Files, int Total, int Limit, int Offset);

internal sealed record SnapshotInfo(string Filename, long FileSize, string CreatedTime, string Format, string? Resolution, string Device, string DownloadUrl);

internal sealed record DeleteResult(string Filename, bool Deleted, string Message);

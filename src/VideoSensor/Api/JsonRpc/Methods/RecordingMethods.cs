using VideoSensor.Requests;
using VideoSensor.Contracts;
using System.ComponentModel.DataAnnotations;
using VideoSensor.Errors;
using VideoSensor.Recording;
using VideoSensor.Storage;
using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc.Methods;

/// <summary>
/// Recording control and the recordings store. A recording is written as segment files; each segment is a
/// stored file of its own (listed, downloaded and deleted by its name), and a recording is known by its first
/// segment's name.
/// </summary>
internal sealed partial class RecordingMethods(StartRecording startRecording, StopRecording stopRecording, RecordingManager recordings, RecordingCatalog catalog, FileStore store) : IRpcMethodGroup
{
    [RpcErrors(RpcErrorCodes.NotFound, RpcErrorCodes.InvalidState, RpcErrorCodes.DependencyFailed)]
    [RpcMethod("start_recording", StartRecording.Access, "Starts recording a camera into segment files; returns once bytes are on disk.", Result = "{device, filename, status, start_time, format}")]
    public Task<StartRecordingResult> StartRecordingAsync(StartRecordingRequest request, CancellationToken cancellationToken) =>
        startRecording.ExecuteAsync(request, cancellationToken);

    [RpcErrors(RpcErrorCodes.NotFound, RpcErrorCodes.InvalidState)]
    [RpcMethod("stop_recording", StopRecording.Access, "Stops a camera's recording and finishes its last segment.", Result = "{device, filename, status, start_time, end_time, duration, file_size, format}")]
    public Task<StopRecordingResult> StopRecordingAsync(StopRecordingRequest request) => stopRecording.ExecuteAsync(request);

    [RpcMethod("list_recordings", Role.Viewer, "Stored recording segments, newest first, paginated; durations from the files.", Result = "{files, total, limit, offset}")]
    public async Task<FileList<RecordingListItem>> ListRecordingsAsync(ListFilesParams request, CancellationToken cancellationToken)
    {
        var all = catalog.List(request.Device);
        var limit = request.Limit ?? 50;
        var offset = request.Offset ?? 0;
        var page = await catalog.DescribeAsync([.. all.Skip(offset).Take(limit)], cancellationToken).ConfigureAwait(false);
        return new FileList<RecordingListItem>(
            [.. page.Select(r => new RecordingListItem(r.File.Device, r.File.FileName, r.File.Size, r.Duration, r.File.ModifiedTime.UtcDateTime.ToString("O"), r.Format, r.File.DownloadUrl))],
            all.Count, limit, offset);
    }

    [RpcErrors(RpcErrorCodes.NotFound, RpcErrorCodes.DependencyFailed)]
    [RpcMethod("get_recording_info", Role.Viewer, "Size, duration, time and format of one recording file.", Result = "{filename, file_size, duration, created_time, format, device, download_url}")]
    public async Task<RecordingInfo> GetRecordingInfoAsync(FileNameParams request, CancellationToken cancellationToken)
    {
        var info = await catalog.DescribeAsync(Find(request.Filename), cancellationToken).ConfigureAwait(false);
        return new RecordingInfo(info.File.FileName, info.File.Size, info.Duration, info.File.CreatedTime.UtcDateTime.ToString("O"), info.Format,
            info.File.Device, info.File.DownloadUrl, info.Resolution, info.Codec, info.File.ModifiedTime.UtcDateTime.ToString("O"));
    }

    [RpcErrors(RpcErrorCodes.NotFound, RpcErrorCodes.InvalidState)]
    [RpcMethod("delete_recording", Role.Operator, "Deletes one recording file.", Result = "{filename, deleted, message}")]
    public DeleteResult DeleteRecording(FileNameParams request)
    {
        var file = Find(request.Filename);
        if (recordings.RunningOwnerOf(file.FileName) is { } owner)
        {
            // Deleting a segment under a running recording would make its summary claim media that is gone.
            throw new InvalidStateException($"'{file.FileName}' belongs to the running recording of '{owner.Device}'", "RECORDING", ["STOPPED"],
                "call stop_recording first, then delete");
        }

        store.Delete(FileKind.Recording, file.FileName);
        return new DeleteResult(file.FileName, true, "recording deleted");
    }

    private StoredFile Find(string fileName) => catalog.TryFind(fileName, out var file)
        ? file
        : throw new NotFoundException("recording", fileName, "call list_recordings for the stored recordings");
}

internal sealed record RecordingListItem(string Device, string Filename, long FileSize, double? Duration, string ModifiedTime, string Format, string DownloadUrl);

internal sealed record RecordingInfo(string Filename, long FileSize, double? Duration, string CreatedTime, string Format, string Device, string DownloadUrl,
    string? Resolution, string? Codec, string ModifiedTime);

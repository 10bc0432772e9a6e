using VideoSensor.Cameras;
using VideoSensor.Errors;
using VideoSensor.Snapshots;

namespace VideoSensor.Platform.Commands;

/// <summary><c>snapshot</c>: params <c>{format?: jpg|png, quality?: 1-100, filename?}</c>, as take_snapshot.</summary>
internal sealed class SnapshotCommandHandler(CameraRegistry registry, SnapshotService snapshots) : ICameraCommandHandler
{
    public IReadOnlyList<string> Actions { get; } = [CameraCommand.Snapshot];

    public async Task<CommandResult> HandleAsync(CameraCommand command, CancellationToken cancellationToken)
    {
        if (command.Device is not { } device || !CameraIds.IsValid(device) || !registry.TryGet(device, out var camera))
        {
            throw new NotFoundException("camera", CameraIds.IsValid(command.Device ?? "") ? command.Device! : "(missing or invalid)", "send an existing camera id as 'device'");
        }

        var format = command.StringParameter("format") switch
        {
            null or "jpg" or "jpeg" => SnapshotFormat.Jpg,
            "png" => SnapshotFormat.Png,
            _ => throw new InvalidParameterException("format", "jpg or png", "format must be jpg or png"),
        };
        var quality = command.IntParameter("quality") ?? 85;
        if (quality is < 1 or > 100)
        {
            throw new InvalidParameterException("quality", "1-100", "quality must be between 1 and 100");
        }

        var snapshot = await snapshots.TakeAsync(camera, new SnapshotRequest(command.StringParameter("filename"), format, quality, null, null), cancellationToken).ConfigureAwait(false);
        return CommandResult.Ok($"snapshot {snapshot.FileName}", new Dictionary<string, object?>
        {
            ["filename"] = snapshot.FileName,
            ["file_size"] = snapshot.FileSize,
            ["resolution"] = $"{snapshot.Width}x{snapshot.Height}",
            ["download_url"] = $"/files/snapshots/{Uri.EscapeDataString(snapshot.FileName)}",
        });
    }
}

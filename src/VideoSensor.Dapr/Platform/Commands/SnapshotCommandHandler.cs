using VideoSensor.Snapshots;

namespace VideoSensor.Platform.Commands;

/// <summary>
/// <c>snapshot</c>: params <c>{format?, quality?, filename?, max_width?, max_height?}</c>, carried out by the same
/// <see cref="TakeSnapshot"/> as JSON-RPC <c>take_snapshot</c> and REST, so the rules and the result are theirs.
/// </summary>
internal sealed class SnapshotCommandHandler(TakeSnapshot takeSnapshot) : ICameraCommandHandler
{
    public IReadOnlyList<string> Actions { get; } = [CameraCommand.Snapshot];

    public async Task<CommandResult> HandleAsync(CameraCommand command, CancellationToken cancellationToken)
    {
        var snapshot = await takeSnapshot.ExecuteAsync(new TakeSnapshotRequest
        {
            Device = command.Device ?? "",
            Format = command.StringParameter("format"),
            Quality = command.IntParameter("quality"),
            Filename = command.StringParameter("filename"),
            MaxWidth = command.IntParameter("max_width"),
            MaxHeight = command.IntParameter("max_height"),
        }, cancellationToken).ConfigureAwait(false);
        // The result event's own timestamp stands for the snapshot's time (within the same request).
        return CommandResult.Ok(
            $"snapshot {snapshot.Filename}",
            new SnapshotCommandData(snapshot.Filename, snapshot.FileSize, snapshot.Resolution, snapshot.Format, snapshot.DownloadUrl),
            PlatformJson.Default.SnapshotCommandData);
    }
}

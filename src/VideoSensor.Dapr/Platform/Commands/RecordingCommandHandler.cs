using VideoSensor.Recording;

namespace VideoSensor.Platform.Commands;

/// <summary>
/// <c>start_recording</c> (params <c>{duration?: seconds, format?: fmp4|mp4|mkv}</c>) and <c>stop_recording</c>,
/// carried out by the same <see cref="StartRecording"/> and <see cref="StopRecording"/> as JSON-RPC and REST.
/// </summary>
internal sealed class RecordingCommandHandler(StartRecording startRecording, StopRecording stopRecording) : ICameraCommandHandler
{
    public IReadOnlyList<string> Actions { get; } = [CameraCommand.StartRecording, CameraCommand.StopRecording];

    public async Task<CommandResult> HandleAsync(CameraCommand command, CancellationToken cancellationToken)
    {
        if (command.Action == CameraCommand.StopRecording)
        {
            var summary = await stopRecording.ExecuteAsync(new StopRecordingRequest { Device = command.Device ?? "" }, "command").ConfigureAwait(false);
            return CommandResult.Ok($"recording {summary.Filename} stopped", new RecordingStoppedCommandData(summary.Filename, summary.Duration, summary.FileSize, summary.Files),
                PlatformJson.Default.RecordingStoppedCommandData);
        }

        var session = await startRecording.ExecuteAsync(new StartRecordingRequest
        {
            Device = command.Device ?? "",
            Format = command.StringParameter("format"),
            Duration = command.IntParameter("duration"),
        }, cancellationToken).ConfigureAwait(false);
        return CommandResult.Ok($"recording {session.Filename} started", new RecordingStartedCommandData(session.Filename, session.Format, session.DownloadUrl),
            PlatformJson.Default.RecordingStartedCommandData);
    }
}

using VideoSensor.Cameras;
using VideoSensor.Errors;
using VideoSensor.Recording;

namespace VideoSensor.Platform.Commands;

/// <summary>
/// <c>start_recording</c> (params <c>{duration?: seconds, format?: fmp4|mp4|mkv}</c>) and <c>stop_recording</c>,
/// with the same rules as the JSON-RPC methods.
/// </summary>
internal sealed class RecordingCommandHandler(CameraRegistry registry, RecordingManager recordings) : ICameraCommandHandler
{
    public IReadOnlyList<string> Actions { get; } = [CameraCommand.StartRecording, CameraCommand.StopRecording];

    public async Task<CommandResult> HandleAsync(CameraCommand command, CancellationToken cancellationToken)
    {
        if (command.Device is not { } device || !CameraIds.IsValid(device) || !registry.TryGet(device, out var camera))
        {
            throw new NotFoundException("camera", CameraIds.IsValid(command.Device ?? "") ? command.Device! : "(missing or invalid)", "send an existing camera id as 'device'");
        }

        if (command.Action == CameraCommand.StopRecording)
        {
            var summary = await recordings.StopAsync(camera.Id, "command").ConfigureAwait(false);
            return CommandResult.Ok($"recording {summary.FileName} stopped", new Dictionary<string, object?>
            {
                ["filename"] = summary.FileName,
                ["duration"] = summary.Duration,
                ["file_size"] = summary.FileSize,
            });
        }

        var format = command.StringParameter("format");
        if (format is not null && !RecordingFormat.Names.Contains(format, StringComparer.Ordinal))
        {
            throw new InvalidParameterException("format", string.Join(", ", RecordingFormat.Names), "format is not a recording format");
        }

        var duration = command.IntParameter("duration");
        if (duration is < 1 or > 7 * 86_400)
        {
            throw new InvalidParameterException("duration", "1-604800 seconds", "duration must be between 1 and 604800 seconds");
        }

        var session = await recordings.StartAsync(camera, format, duration is { } d ? TimeSpan.FromSeconds(d) : null, cancellationToken).ConfigureAwait(false);
        return CommandResult.Ok($"recording {session.FileName} started", new Dictionary<string, object?> { ["filename"] = session.FileName });
    }
}

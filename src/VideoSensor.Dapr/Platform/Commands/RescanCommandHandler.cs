using VideoSensor.Cameras.Rtsp;

namespace VideoSensor.Platform.Commands;

/// <summary><c>rescan</c>: probes the RTSP feeds now (all, or the one named by <c>device</c>) through <see cref="ProbeSources"/>.</summary>
internal sealed class RescanCommandHandler(ProbeSources probe) : ICameraCommandHandler
{
    public IReadOnlyList<string> Actions { get; } = [CameraCommand.Rescan];

    public async Task<CommandResult> HandleAsync(CameraCommand command, CancellationToken cancellationToken)
    {
        var result = await probe.ExecuteAsync(new ProbeSourcesRequest { Id = command.Device }, cancellationToken).ConfigureAwait(false);
        return CommandResult.Ok($"probed {result.Probed} feeds", new RescanCommandData(result.Probed, result.Cameras, result.Connected),
            PlatformJson.Default.RescanCommandData);
    }
}

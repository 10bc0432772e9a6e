using VideoSensor.Cameras;
using VideoSensor.Cameras.Rtsp;

namespace VideoSensor.Platform.Commands;

/// <summary><c>rescan</c>: probes the configured feeds now (all, or the one named by <c>device</c>).</summary>
internal sealed class RescanCommandHandler(RtspFeeds feeds, CameraRegistry registry) : ICameraCommandHandler
{
    public IReadOnlyList<string> Actions { get; } = [CameraCommand.Rescan];

    public async Task<CommandResult> HandleAsync(CameraCommand command, CancellationToken cancellationToken)
    {
        var probed = await feeds.RescanAsync(command.Device, cancellationToken).ConfigureAwait(false);
        var cameras = registry.List();
        return CommandResult.Ok($"probed {probed} feeds", new RescanCommandData(probed, cameras.Count, cameras.Count(c => c.Status == CameraStatus.Connected)),
            PlatformJson.Default.RescanCommandData);
    }
}

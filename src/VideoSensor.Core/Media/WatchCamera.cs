using VideoSensor.Security;

namespace VideoSensor.Media;

/// <summary>
/// Watching a camera: reading or playing back its stream from MediaMTX (the data-plane auth callback), its stream URL
/// and state over JSON-RPC, its preview picture over REST. Declared here once; every transport enforces it through
/// <see cref="AccessPolicy"/>.
/// </summary>
internal static class WatchCamera
{
    public const Role Access = Role.Viewer;
}

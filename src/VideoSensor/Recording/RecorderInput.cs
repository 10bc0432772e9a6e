using VideoSensor.Cameras;
using VideoSensor.Media.Ffmpeg;

namespace VideoSensor.Recording;

/// <summary>Where a recorder reads a camera from, and whether it arrives encoded.</summary>
/// <param name="Arguments">ffmpeg input arguments (may hold credentials: never log them unredacted).</param>
/// <param name="Encoded">True for H.264 over RTSP (copied as is); false for raw sources that must be encoded.</param>
internal sealed record RecorderSource(IReadOnlyList<string> Arguments, bool Encoded);

/// <summary>
/// Chooses the recorder's input. Today that is the camera's own source (the RTSP URL with credentials, or the
/// raw lavfi/V4L2 input); when the MediaMTX data plane publishes cameras, this one method switches to the
/// camera's MediaMTX path URL and every recorder follows.
/// </summary>
internal sealed class RecorderInput(FfmpegInput input)
{
    public async ValueTask<RecorderSource> ResolveAsync(Camera camera, CancellationToken cancellationToken)
    {
        var arguments = await input.ArgumentsAsync(camera.Source, cancellationToken).ConfigureAwait(false);
        return new RecorderSource(arguments, camera.Source is RtspSource);
    }
}

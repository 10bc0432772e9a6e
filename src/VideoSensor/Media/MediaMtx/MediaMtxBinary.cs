namespace VideoSensor.Media.MediaMtx;

/// <summary>
/// Which MediaMTX binary a managed instance runs: <c>media.mediamtx.binary_path</c> when the config names one, else
/// <c>MEDIAMTX_BINARY</c> (set by <c>scripts/run.sh</c>, CI and container images), else <c>mediamtx</c> on PATH.
/// </summary>
internal static class MediaMtxBinary
{
    public const string EnvironmentVariable = "MEDIAMTX_BINARY";

    public static string Configured(MediaMtxOptions options) =>
        options.BinaryPath == MediaMtxOptions.DefaultBinary && Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : options.BinaryPath;
}

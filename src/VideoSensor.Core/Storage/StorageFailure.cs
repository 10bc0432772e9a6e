using VideoSensor.Errors;
using VideoSensor.Media.Ffmpeg;

namespace VideoSensor.Storage;

/// <summary>
/// Turns a failure of the disk or of a required tool into the contract's -32050 with a specific <c>reason</c>
/// (storage_full, storage_readonly, storage_denied, storage_error, tool_missing), so a client hears what
/// broke instead of an internal error. Messages name no paths.
/// </summary>
internal static class StorageFailure
{
    // errno values as .NET reports them in IOException.HResult on Linux.
    private const int Enospc = 28;
    private const int Erofs = 30;
    private const int Edquot = 122;

    public static DependencyException From(Exception exception) => exception switch
    {
        DependencyException d => d,
        MissingToolException tool => new DependencyException(tool.Tool, "not installed", "install the Debian package ffmpeg, or set media.ffmpeg_path / media.ffprobe_path") { Reason = "tool_missing" },
        UnauthorizedAccessException => new DependencyException("storage", "permission denied", "give the service write access to storage.root") { Reason = "storage_denied" },
        IOException io when (io.HResult & 0xFFFF) is Enospc or Edquot => new DependencyException("storage", "no space left on the device", "free space: delete recordings, call cleanup_old_files, or set a retention policy") { Reason = "storage_full" },
        IOException io when (io.HResult & 0xFFFF) == Erofs => new DependencyException("storage", "the file system is read-only", "mount storage.root read-write") { Reason = "storage_readonly" },
        _ => new DependencyException("storage", "the disk failed", "check the service log and the storage device") { Reason = "storage_error" },
    };

    /// <summary>The reason word alone, for events (recording.stop's <c>reason</c>).</summary>
    public static string ReasonOf(Exception exception) => From(exception).Reason ?? "dependency_failed";
}

using VideoSensor.Storage;

namespace VideoSensor.Media.Ffmpeg;

/// <summary>One remembered probe of a finished file, valid while the file keeps its size and modification time.</summary>
internal sealed record ProbeCacheEntry(string Path, long Size, long ModifiedTicks, bool NoMedia, string? Codec, int Width, int Height, double Fps, double? Duration, string? FormatName);

/// <summary>The probe cache as kept in the state folder (<c>probe-cache.json</c>), so a restart does not probe every file again.</summary>
internal sealed class ProbeCacheFile(string path)
{
    public const string FileName = "probe-cache.json";

    private readonly StateFile<List<ProbeCacheEntry>> _file = new(path);

    public IReadOnlyList<ProbeCacheEntry> Read()
    {
        try
        {
            return _file.Read() ?? [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return []; // a cache: losing it costs probes, never files
        }
    }

    public void Write(List<ProbeCacheEntry> entries)
    {
        try
        {
            _file.Write(entries);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Read-only or full state folder: the cache lives on in memory.
        }
    }
}

using System.Globalization;

namespace VideoSensor.Telemetry;

/// <summary>
/// Memory and thread figures read from the kernel's own accounting (<c>/proc/self/status</c>,
/// <c>/proc/meminfo</c>), so what the API reports is what <c>ps</c> and <c>free</c> would show.
/// </summary>
internal static class ProcStatus
{
    /// <summary>VmRSS and Threads of this process; zeros where /proc is not there (not Linux).</summary>
    public static (long RssBytes, int Threads) Self()
    {
        var values = ReadKeyed("/proc/self/status");
        return (Kilobytes(values, "VmRSS"), (int)Number(values, "Threads"));
    }

    /// <summary>MemTotal of the machine in bytes; 0 when unknown.</summary>
    public static long MemTotalBytes() => Kilobytes(ReadKeyed("/proc/meminfo"), "MemTotal");

    private static Dictionary<string, string> ReadKeyed(string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    result[line[..colon]] = line[(colon + 1)..].Trim();
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or /proc hidden: the callers report zeros rather than invent figures.
        }

        return result;
    }

    private static long Kilobytes(Dictionary<string, string> values, string key) => Number(values, key) * 1024;

    private static long Number(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var text) && long.TryParse(text.Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
}

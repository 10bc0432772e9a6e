using System.Globalization;

namespace VideoSensor.Bench;

/// <summary>
/// One reading of a process's memory and CPU from /proc: resident set, its private (only this process) and
/// shared (file pages other processes map too, e.g. the runtime's DLLs) parts, and CPU time used so far.
/// </summary>
internal sealed record ProcessFootprint(double RssMb, double PrivateMb, double SharedMb, double AnonymousMb, double CpuMs)
{
    // USER_HZ: /proc/PID/stat counts CPU time in clock ticks, 100 per second on Linux.
    private const double TicksPerSecond = 100;

    public static ProcessFootprint Read(int pid)
    {
        var rollup = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is [var key, var kb, "kB"] && key.EndsWith(':'))
            {
                rollup[key[..^1]] = double.Parse(kb, CultureInfo.InvariantCulture) / 1024;
            }
        }

        return new ProcessFootprint(
            rollup.GetValueOrDefault("Rss"),
            rollup.GetValueOrDefault("Private_Clean") + rollup.GetValueOrDefault("Private_Dirty"),
            rollup.GetValueOrDefault("Shared_Clean") + rollup.GetValueOrDefault("Shared_Dirty"),
            rollup.GetValueOrDefault("Anonymous"),
            CpuMilliseconds(pid));
    }

    /// <summary>User + system CPU time: on a busy machine this, not wall time, shows what start-up costs.</summary>
    public static double CpuMilliseconds(int pid)
    {
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * 1000 / TicksPerSecond;
    }
}

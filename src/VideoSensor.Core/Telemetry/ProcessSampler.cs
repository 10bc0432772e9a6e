using System.Diagnostics;

namespace VideoSensor.Telemetry;

/// <summary>Process figures measured on demand: CPU share since the previous sample, memory, threads, GC.</summary>
internal sealed class ProcessSampler(TimeProvider time)
{
    private readonly Lock _gate = new();
    private long _lastWall = time.GetTimestamp();
    private TimeSpan _lastCpu = Process.GetCurrentProcess().TotalProcessorTime;

    public ProcessSample Sample()
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        double percent;
        lock (_gate)
        {
            var now = time.GetTimestamp();
            var wall = time.GetElapsedTime(_lastWall, now);
            percent = wall > TimeSpan.Zero ? 100.0 * (cpu - _lastCpu).TotalSeconds / wall.TotalSeconds / Environment.ProcessorCount : 0;
            _lastWall = now;
            _lastCpu = cpu;
        }

        var gc = GC.GetGCMemoryInfo();
        return new ProcessSample(
            Math.Round(Math.Max(0, percent), 2),
            process.WorkingSet64,
            GC.GetTotalMemory(false),
            gc.TotalAvailableMemoryBytes,
            process.Threads.Count,
            GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2),
            cpu.TotalSeconds,
            LoadAverage());
    }

    private static double[] LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return [.. parts.Take(3).Select(p => double.Parse(p, System.Globalization.CultureInfo.InvariantCulture))];
        }
        catch (IOException)
        {
            return [];
        }
    }
}

/// <summary>One measurement of the service process.</summary>
internal sealed record ProcessSample(double CpuPercent, long MemoryRssBytes, long GcHeapBytes, long MemoryAvailableBytes, int Threads, int GcCollections, double CpuSecondsTotal, double[] LoadAverage);

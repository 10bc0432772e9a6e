using System.Diagnostics;

namespace VideoSensor.Tests.Fixtures;

/// <summary>Independent checks on media files and on the processes a service left behind.</summary>
public static class MediaCheck
{
    /// <summary>Decodes a whole file with ffmpeg and returns what it reported as errors (empty for a clean file).</summary>
    public static async Task<string> DecodeErrorsAsync(string path, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-hide_banner", "-nostdin", "-v", "error", "-i", path, "-f", "null", "-" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var errors = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 ? errors.Trim() : $"exit {process.ExitCode}: {errors}";
    }

    /// <summary>Ids of live processes whose command line mentions <paramref name="text"/> (zombies excluded).</summary>
    public static IReadOnlyList<int> ProcessesMentioning(string text)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                if (cmdline.Contains(text, StringComparison.Ordinal) && stat[(stat.LastIndexOf(')') + 2)] is not 'Z' and not 'X')
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // gone meanwhile
            }
        }

        return found;
    }

    /// <summary>Waits (by looking: these are not our children) until no live process mentions <paramref name="text"/>.</summary>
    public static async Task<IReadOnlyList<int>> WaitUntilNoProcessMentionsAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var left = ProcessesMentioning(text);
        while (left.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            left = ProcessesMentioning(text);
        }

        return left;
    }
}

using System.Globalization;
using Microsoft.Extensions.Logging;
using Tmds.Linux;

namespace VideoSensor.Recording;

/// <summary>
/// Finds recorder ffmpeg processes an earlier run of the service left behind (it was killed and its children
/// outlived it: no parent-death signal, or one that did not end them) and ends them before their files are
/// touched. A process is a leftover recorder when its command line (<c>/proc/&lt;pid&gt;/cmdline</c>) runs ffmpeg
/// and writes a <c>.partial</c> segment under this service's recordings folder; nothing else is ever signalled.
/// </summary>
internal sealed partial class RecorderReaper(TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>Ends every leftover recorder writing under <paramref name="recordingsRoot"/>; returns their process ids.</summary>
    public async Task<IReadOnlyList<int>> ReapAsync(string recordingsRoot, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var found = Find(recordingsRoot);
        foreach (var pid in found)
        {
            LogReaping(logger, pid);
            _ = LibC.kill(pid, LibC.SIGINT); // finish the fragment being written
        }

        var deadline = time.GetUtcNow() + gracePeriod;
        foreach (var pid in found)
        {
            // Not our child: no exit event to wait for, so this waits by looking (a few rounds at most).
            while (IsAlive(pid) && time.GetUtcNow() < deadline)
            {
                await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
            }

            if (IsAlive(pid))
            {
                _ = LibC.kill(pid, LibC.SIGKILL);
                while (IsAlive(pid))
                {
                    await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return found;
    }

    /// <summary>Process ids of leftover recorders writing under <paramref name="recordingsRoot"/>.</summary>
    public static IReadOnlyList<int> Find(string recordingsRoot)
    {
        var prefix = Path.GetFullPath(recordingsRoot).TrimEnd('/') + "/";
        var self = Environment.ProcessId;
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self)
            {
                continue;
            }

            string[] argv;
            try
            {
                argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // gone meanwhile, or not ours to read
            }

            if (IsRecorder(argv, prefix))
            {
                found.Add(pid);
            }
        }

        return found;
    }

    internal static bool IsRecorder(IReadOnlyList<string> argv, string recordingsPrefix) =>
        argv.Any(a => Path.GetFileName(a) == "ffmpeg")
        && argv.Any(a => a.StartsWith(recordingsPrefix, StringComparison.Ordinal) && a.EndsWith(Storage.FileStore.PartialSuffix, StringComparison.Ordinal));

    private static bool IsAlive(int pid)
    {
        // A zombie (exited, not yet reaped by its new parent) counts as gone: it writes nothing any more.
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
            return state is not 'Z' and not 'X';
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ending recorder process {Pid} left by an earlier run of the service before finishing its files")]
    private static partial void LogReaping(ILogger logger, int pid);
}

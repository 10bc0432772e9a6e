using System.Globalization;

namespace VideoSensor.Tests.Fixtures.Dapr;

/// <summary>
/// Which processes hold a TCP connection to an RTSP server's port right now, read from the kernel (/proc/net/tcp
/// and each process's socket descriptors): the camera's own view of who pulls it, not what any service says.
/// </summary>
public static class RtspPullers
{
    public sealed record Puller(int Pid, int ParentPid, string Name);

    public static IReadOnlyList<Puller> Of(int serverPort)
    {
        var inodes = ClientSocketInodes(serverPort);
        if (inodes.Count == 0)
        {
            return [];
        }

        var pullers = new List<Puller>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                foreach (var fd in Directory.EnumerateFiles(Path.Combine(dir, "fd")))
                {
                    if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal)
                        && inodes.Contains(target["socket:[".Length..^1]))
                    {
                        pullers.Add(new Puller(pid, ParentOf(dir), File.ReadAllText(Path.Combine(dir, "comm")).Trim()));
                        break;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or another user's process: neither is one of ours.
            }
        }

        return pullers;
    }

    /// <summary>Inodes of established client-side sockets whose remote port is <paramref name="serverPort"/> on loopback.</summary>
    private static HashSet<string> ClientSocketInodes(int serverPort)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        var remote = ":" + serverPort.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // f[2] rem_address, f[3] state (01 = ESTABLISHED), f[9] inode.
            if (f.Length > 9 && f[2].EndsWith(remote, StringComparison.Ordinal) && f[3] == "01")
            {
                inodes.Add(f[9]);
            }
        }

        return inodes;
    }

    private static int ParentOf(string procDir)
    {
        var stat = File.ReadAllText(Path.Combine(procDir, "stat"));
        // "pid (comm) state ppid …": comm may hold spaces, so read after the last ')'.
        var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(rest[1], CultureInfo.InvariantCulture);
    }
}

using System.Net;
using System.Net.Sockets;
using VideoSensor.Media.Ffmpeg;

namespace VideoSensor.Configuration;

/// <summary>
/// What a valid config still needs from this machine before the service can start: its ports free and
/// distinct, a usable storage root, ffmpeg and ffprobe. Checked at start and by <c>check-config</c>, one line
/// per problem naming the key, instead of an exception from deep inside the host. Kept apart from the
/// rules of the config itself, which hold on any machine.
/// </summary>
internal static class StartupPreconditions
{
    public static IReadOnlyList<string> Check(SensorOptions options)
    {
        var problems = new List<string>();
        var server = options.Server;
        if (server.HealthPort > 0 && server.HealthPort == server.Port)
        {
            problems.Add($"server.health_port: {server.HealthPort} is also server.port; give the health port its own number (or 0 for none)");
        }

        if (IPAddress.TryParse(server.BindAddress, out var address))
        {
            problems.AddRange(PortProblem("server.port", address, server.Port));
            if (server.HealthPort > 0 && server.HealthPort != server.Port)
            {
                problems.AddRange(PortProblem("server.health_port", address, server.HealthPort));
            }
        }
        else
        {
            problems.Add($"server.bind_address: '{server.BindAddress}' is not an IP address");
        }

        problems.AddRange(StorageRootProblem(options.Storage.Root));
        problems.AddRange(ToolProblem("media.ffmpeg_path", options.Media.FfmpegPath));
        problems.AddRange(ToolProblem("media.ffprobe_path", options.Media.FfprobePath));
        return problems;
    }

    /// <summary>Binds the port the way Kestrel will (address reuse on, so a port in TIME_WAIT is not "in use") and lets go.</summary>
    private static IEnumerable<string> PortProblem(string key, IPAddress address, int port)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(1);
            return [];
        }
        catch (SocketException ex)
        {
            var reason = ex.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => "is already in use (another process, or server.port and server.health_port of another instance)",
                SocketError.AccessDenied => "may not be bound by this user (ports below 1024 need privileges)",
                SocketError.AddressNotAvailable => "cannot be bound: the address is not on this machine",
                _ => $"cannot be bound ({ex.SocketErrorCode})",
            };
            return [$"{key}: {address}:{port} {reason}"];
        }
    }

    /// <summary>
    /// The root, or the nearest folder above it that exists, must be a folder this process can write in.
    /// Probed with a temp file that is removed at once, so <c>check-config</c> leaves nothing behind.
    /// </summary>
    private static IEnumerable<string> StorageRootProblem(string root)
    {
        var full = Path.GetFullPath(root);
        if (File.Exists(full))
        {
            return [$"storage.root: {full} is a file, not a folder"];
        }

        var existing = full;
        while (!Directory.Exists(existing))
        {
            var parent = Path.GetDirectoryName(existing);
            if (parent is null)
            {
                return [$"storage.root: {full} cannot be created"];
            }

            if (File.Exists(parent))
            {
                return [$"storage.root: {full} cannot be created: {parent} is a file"];
            }

            existing = parent;
        }

        var probe = Path.Combine(existing, $".videosensor-write-check-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            return [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [existing == full ? $"storage.root: {full} is not writable ({ex.Message})" : $"storage.root: {full} cannot be created: {existing} is not writable ({ex.Message})"];
        }
    }

    private static IEnumerable<string> ToolProblem(string key, string tool) =>
        FfmpegLocator.Find(tool) is null ? [$"{key}: {new MissingToolException(tool).Message}"] : [];
}

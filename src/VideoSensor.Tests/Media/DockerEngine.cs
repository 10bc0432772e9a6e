using System.Net.Sockets;

namespace VideoSensor.Tests.Media;

/// <summary>Whether a Docker engine answers, so container tests can skip with the reason when none does.</summary>
internal static class DockerEngine
{
    public static string? WhyUnavailable()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        try
        {
            if (host is not null && host.StartsWith("tcp://", StringComparison.Ordinal))
            {
                var uri = new Uri(host);
                using var tcp = new TcpClient();
                tcp.Connect(uri.Host, uri.Port);
                return null;
            }

            var path = host is not null && host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..] : "/var/run/docker.sock";
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return null;
        }
        catch (SocketException ex)
        {
            return $"no Docker engine answers ({host ?? "/var/run/docker.sock"}: {ex.SocketErrorCode})";
        }
    }
}

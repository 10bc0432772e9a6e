using System.Net;
using System.Net.Sockets;

namespace VideoSensor.Tests.Fixtures;

/// <summary>Free TCP ports on loopback, found by binding port 0.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

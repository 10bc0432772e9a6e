using System.Net;
using System.Net.Sockets;

namespace VideoSensor.Media.MediaMtx;

/// <summary>Tells whether a TCP port can be bound, so a port conflict is reported as such instead of as a crash loop.</summary>
internal static class PortCheck
{
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace VideoSensor.Media.MediaMtx;

/// <summary>Tells whether a port can be bound, so a port conflict is reported as such instead of as a crash loop.</summary>
internal static class PortCheck
{
    public static bool IsFree(ListenPort port)
    {
        try
        {
            if (port.Udp)
            {
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(IPAddress.Any, port.Port));
                return true;
            }

            using var listener = new TcpListener(IPAddress.Any, port.Port);
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

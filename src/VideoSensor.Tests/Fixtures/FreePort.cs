using System.Net;
using System.Net.Sockets;

namespace VideoSensor.Tests.Fixtures;

/// <summary>
/// Free TCP ports on loopback for servers a test starts. They come from below Linux's ephemeral range
/// (32768–60999): a port the kernel hands out for port 0 can be given again, between our check and the
/// server's bind, to any outgoing connection (ffmpeg, an HTTP client), and that test then fails with
/// "address in use". Each port is handed out once per process, from a random start so that two processes
/// (tests and a benchmark) rarely meet, and only after a bind shows nobody holds it (TCP and UDP).
/// </summary>
public static class FreePort
{
    private const int First = 20000;
    private const int Last = 32000;
    private static int s_next = First + Random.Shared.Next(Last - First);

    public static int Next()
    {
        for (var attempt = 0; attempt < Last - First; attempt++)
        {
            var port = First + (Interlocked.Increment(ref s_next) % (Last - First));
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"no free port in {First}–{Last}");
    }

    /// <summary>Takes one given port (e.g. RTCP next to an even RTP port) when nobody holds it.</summary>
    public static bool TryTake(int port) => port is >= First and < Last && IsFree(port);

    private static bool IsFree(int port)
    {
        try
        {
            using var tcp = new TcpListener(IPAddress.Loopback, port);
            tcp.Start();
            tcp.Stop();
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

using System.Runtime.InteropServices;
using Tmds.Linux;

namespace VideoSensor.Cameras.Usb.Hotplug;

/// <summary>
/// A NETLINK_KOBJECT_UEVENT socket through Tmds.LibC. <see cref="Receive"/> blocks until a message arrives
/// or <see cref="Wake"/> is called (an eventfd in the same poll set), so the listener thread needs no timeout.
/// </summary>
internal sealed unsafe class NetlinkUeventSocket : IDisposable
{
    public const int NetlinkKobjectUevent = 15;
    private const int ReceiveBufferBytes = 1 << 20;

    private int _fd;
    private int _wakeFd;

    private NetlinkUeventSocket(int fd, int wakeFd, uint portId)
    {
        _fd = fd;
        _wakeFd = wakeFd;
        PortId = portId;
    }

    /// <summary>The port id the kernel gave this socket (what a unicast sender addresses).</summary>
    public uint PortId { get; }

    /// <summary>Opens a socket subscribed to <paramref name="groupMask"/> (0 for a sender only).</summary>
    public static NetlinkUeventSocket Open(uint groupMask)
    {
        var fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, NetlinkKobjectUevent);
        if (fd < 0)
        {
            throw Failure("socket(NETLINK_KOBJECT_UEVENT)");
        }

        try
        {
            // A burst of uevents (a hub with several cameras) must not overflow the default buffer;
            // SO_RCVBUFFORCE works as root, SO_RCVBUF is the unprivileged fallback.
            var size = ReceiveBufferBytes;
            if (LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, &size, sizeof(int)) < 0)
            {
                _ = LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, &size, sizeof(int));
            }

            byte* address = stackalloc byte[NetlinkAddress.Size];
            new NetlinkAddress(0, groupMask).Write(new Span<byte>(address, NetlinkAddress.Size));
            if (LibC.bind(fd, (sockaddr*)address, NetlinkAddress.Size) < 0)
            {
                throw Failure("bind(NETLINK_KOBJECT_UEVENT)");
            }

            socklen_t length = NetlinkAddress.Size;
            if (LibC.getsockname(fd, (sockaddr*)address, &length) < 0)
            {
                throw Failure("getsockname");
            }

            var wake = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
            if (wake < 0)
            {
                throw Failure("eventfd");
            }

            return new NetlinkUeventSocket(fd, wake, NetlinkAddress.Read(new ReadOnlySpan<byte>(address, NetlinkAddress.Size)).PortId);
        }
        catch
        {
            _ = LibC.close(fd);
            throw;
        }
    }

    /// <summary>
    /// Waits for one datagram. Returns its length, 0 after <see cref="Wake"/>, or -1 when the receive
    /// buffer overflowed (ENOBUFS: events were lost and a rescan is due).
    /// </summary>
    public int Receive(Span<byte> buffer, out NetlinkAddress sender)
    {
        sender = default;
        pollfd* fds = stackalloc pollfd[2];
        fds[0].fd = _fd;
        fds[0].events = LibC.POLLIN;
        fds[1].fd = _wakeFd;
        fds[1].events = LibC.POLLIN;
        byte* address = stackalloc byte[NetlinkAddress.Size];
        while (true)
        {
            fds[0].revents = 0;
            fds[1].revents = 0;
            if (LibC.poll(fds, 2, -1) < 0)
            {
                if (Marshal.GetLastPInvokeError() == LibC.EINTR)
                {
                    continue;
                }

                throw Failure("poll");
            }

            if (fds[1].revents != 0)
            {
                return 0;
            }

            socklen_t length = NetlinkAddress.Size;
            fixed (byte* p = buffer)
            {
                var n = LibC.recvfrom(_fd, p, buffer.Length, LibC.MSG_DONTWAIT, (sockaddr*)address, &length);
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == LibC.EINTR || errno == LibC.EAGAIN)
                    {
                        continue;
                    }

                    return errno == LibC.ENOBUFS ? -1 : throw Failure("recvfrom");
                }

                sender = NetlinkAddress.Read(new ReadOnlySpan<byte>(address, NetlinkAddress.Size));
                return (int)(long)n;
            }
        }
    }

    /// <summary>Sends a message to a multicast group mask and/or a port id (needs CAP_NET_ADMIN for a group).</summary>
    public void Send(ReadOnlySpan<byte> message, uint groupMask, uint portId = 0)
    {
        byte* address = stackalloc byte[NetlinkAddress.Size];
        new NetlinkAddress(portId, groupMask).Write(new Span<byte>(address, NetlinkAddress.Size));
        fixed (byte* p = message)
        {
            if ((long)LibC.sendto(_fd, p, message.Length, 0, (sockaddr*)address, NetlinkAddress.Size) < 0)
            {
                throw Failure("sendto(NETLINK_KOBJECT_UEVENT)");
            }
        }
    }

    /// <summary>Makes a blocked <see cref="Receive"/> return 0 (used to stop the listener thread).</summary>
    public void Wake()
    {
        ulong one = 1;
        _ = LibC.write(_wakeFd, &one, sizeof(ulong));
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            _ = LibC.close(_fd);
            _ = LibC.close(_wakeFd);
            _fd = -1;
            _wakeFd = -1;
        }
    }

    private static IOException Failure(string call)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} failed: {V4l2.Errno.Describe(errno)}", errno);
    }
}

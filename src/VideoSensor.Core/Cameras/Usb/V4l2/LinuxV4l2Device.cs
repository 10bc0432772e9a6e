using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;

namespace VideoSensor.Cameras.Usb.V4l2;

/// <summary>A real <c>/dev/videoN</c>, opened non-blocking so a busy or wedged device never stalls the probe.</summary>
internal sealed unsafe class LinuxV4l2Device : IV4l2Device
{
    private int _fd;

    private LinuxV4l2Device(int fd) => _fd = fd;

    public static LinuxV4l2Device Open(string devicePath)
    {
        var path = Encoding.UTF8.GetBytes(devicePath + "\0");
        var (fd, errno) = TryOpen(path);
        if (fd < 0)
        {
            // Tmds.LibC's first open() in a process reports a stale errno (measured: 203 for ENOENT);
            // a second attempt gives the real one (or succeeds, if the node just appeared).
            (fd, errno) = TryOpen(path);
        }

        return fd < 0 ? throw new V4l2Exception("open", devicePath, errno) : new LinuxV4l2Device(fd);
    }

    private static (int Fd, int Errno) TryOpen(byte[] path)
    {
        fixed (byte* p = path)
        {
            while (true)
            {
                var fd = LibC.open(p, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
                var errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
                if (errno != LibC.EINTR)
                {
                    return (fd, errno);
                }
            }
        }
    }

    public int Ioctl(uint request, Span<byte> data)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        fixed (byte* p = data)
        {
            int rc;
            do
            {
                rc = LibC.ioctl(_fd, unchecked((int)request), p);
            }
            while (rc < 0 && Marshal.GetLastPInvokeError() == LibC.EINTR);

            return rc < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            _ = LibC.close(_fd);
            _fd = -1;
        }
    }
}

/// <summary>Opens real device nodes.</summary>
internal sealed class LinuxV4l2DeviceOpener : IV4l2DeviceOpener
{
    public IV4l2Device Open(string devicePath) => LinuxV4l2Device.Open(devicePath);
}

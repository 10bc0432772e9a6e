using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;

namespace VideoSensor.Cameras.Usb.Controls;

/// <summary>A real <c>/dev/videoN</c> through Tmds.LibC, opened non-blocking so a wedged camera never stalls a request.</summary>
internal sealed unsafe class LinuxV4l2ControlDevice : IV4l2ControlDevice
{
    private int _fd;

    private LinuxV4l2ControlDevice(int fd) => _fd = fd;

    public static LinuxV4l2ControlDevice Open(string devicePath)
    {
        var path = Encoding.UTF8.GetBytes(devicePath + "\0");
        fixed (byte* p = path)
        {
            int fd;
            int errno;
            do
            {
                fd = LibC.open(p, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
                errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
            }
            while (fd < 0 && errno == LibC.EINTR);

            return fd < 0 ? throw new V4l2ControlException($"open {devicePath}", errno) : new LinuxV4l2ControlDevice(fd);
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
internal sealed class LinuxV4l2ControlDeviceOpener : IV4l2ControlDeviceOpener
{
    public IV4l2ControlDevice Open(string devicePath) => LinuxV4l2ControlDevice.Open(devicePath);
}

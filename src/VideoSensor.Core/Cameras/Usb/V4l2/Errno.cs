using Tmds.Linux;

namespace VideoSensor.Cameras.Usb.V4l2;

/// <summary>errno values as short names plus text, for reasons a person can act on.</summary>
internal static class Errno
{
    public static string Describe(int errno)
    {
        var name = errno == LibC.ENOTTY ? "ENOTTY (not a V4L2 device)"
            : errno == LibC.EBUSY ? "EBUSY (in use by another process)"
            : errno == LibC.ENOENT ? "ENOENT (no such device node)"
            : errno == LibC.ENODEV ? "ENODEV (device gone)"
            : errno == LibC.EACCES ? "EACCES (permission denied)"
            : errno == LibC.EINVAL ? "EINVAL"
            : null;
        return name ?? $"errno {errno}";
    }
}

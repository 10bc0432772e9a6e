namespace VideoSensor.Cameras.Usb.Controls;

/// <summary>A failed control ioctl, with a readable errno.</summary>
internal sealed class V4l2ControlException(string operation, int errno)
    : Exception($"{operation} failed: {Describe(errno)}")
{
    public int ErrorNumber { get; } = errno;

    internal static string Describe(int errno) => errno switch
    {
        Errnos.EINVAL => "EINVAL (not accepted by the driver)",
        Errnos.ERANGE => "ERANGE (value out of range)",
        Errnos.EACCES => "EACCES (read-only or write-only control)",
        Errnos.EBUSY => "EBUSY (control grabbed while streaming)",
        Errnos.ENOTTY => "ENOTTY (not supported by this device)",
        Errnos.ENOENT => "ENOENT (no such device node)",
        Errnos.ENODEV => "ENODEV (device gone)",
        Errnos.EIO => "EIO (the camera did not answer)",
        _ => $"errno {errno}",
    };
}

/// <summary>The Linux errno values control ioctls return (asm-generic/errno-base.h).</summary>
internal static class Errnos
{
    public const int ENOENT = 2;
    public const int EIO = 5;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int ENOTTY = 25;
    public const int ERANGE = 34;
}

namespace VideoSensor.Cameras.Usb.V4l2;

/// <summary>
/// An open V4L2 node, reduced to the one call the probe makes. The real one is <see cref="LinuxV4l2Device"/>;
/// tests answer the same ioctls with kernel-layout bytes, since no machine here has a video device.
/// </summary>
internal interface IV4l2Device : IDisposable
{
    /// <summary>Runs an ioctl on <paramref name="data"/> in place; returns 0 or the errno.</summary>
    int Ioctl(uint request, Span<byte> data);
}

/// <summary>Opens V4L2 nodes.</summary>
internal interface IV4l2DeviceOpener
{
    /// <summary>Opens a node; throws <see cref="V4l2Exception"/> with the errno when it cannot.</summary>
    IV4l2Device Open(string devicePath);
}

/// <summary>A failed V4L2 call, with the errno name in the message (it becomes the camera's ERROR reason).</summary>
internal sealed class V4l2Exception(string operation, string devicePath, int errno)
    : Exception($"{operation} on {devicePath} failed: {V4l2.Errno.Describe(errno)}")
{
    public int ErrorNumber { get; } = errno;
}

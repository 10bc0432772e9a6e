namespace VideoSensor.Cameras.Usb.V4l2;

/// <summary>
/// V4L2 ioctl request numbers, computed the way <c>&lt;asm-generic/ioctl.h&gt;</c> does
/// (<c>dir &lt;&lt; 30 | size &lt;&lt; 16 | type &lt;&lt; 8 | nr</c>), from the struct sizes of
/// <c>&lt;linux/videodev2.h&gt;</c>. The sizes are the same on every 64- and 32-bit ABI Linux runs on.
/// </summary>
internal static class V4l2Ioctl
{
    private const uint Write = 1;
    private const uint Read = 2;
    private const uint Type = 'V';

    public static uint QueryCap { get; } = Ioc(Read, 0, V4l2Structs.CapabilitySize);
    public static uint EnumFormat { get; } = Ioc(Read | Write, 2, V4l2Structs.FmtDescSize);
    public static uint EnumFrameSizes { get; } = Ioc(Read | Write, 74, V4l2Structs.FrmSizeEnumSize);
    public static uint EnumFrameIntervals { get; } = Ioc(Read | Write, 75, V4l2Structs.FrmIvalEnumSize);

    /// <summary>The <c>_IOC</c> macro.</summary>
    public static uint Ioc(uint direction, uint number, int size) =>
        (direction << 30) | ((uint)size << 16) | (Type << 8) | number;

    /// <summary>A readable name for logs and error reasons.</summary>
    public static string Name(uint request) =>
        request == QueryCap ? "VIDIOC_QUERYCAP"
        : request == EnumFormat ? "VIDIOC_ENUM_FMT"
        : request == EnumFrameSizes ? "VIDIOC_ENUM_FRAMESIZES"
        : request == EnumFrameIntervals ? "VIDIOC_ENUM_FRAMEINTERVALS"
        : $"ioctl 0x{request:x8}";
}

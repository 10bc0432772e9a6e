using VideoSensor.Cameras.Usb.V4l2;

namespace VideoSensor.Tests.Cameras.Usb;

/// <summary>What a fake node answers: its QUERYCAP and, per fourcc, sizes with frame rates.</summary>
internal sealed record FakeNode(uint DeviceCaps, IReadOnlyList<(string FourCc, IReadOnlyList<(int W, int H, int[] Fps)> Sizes)> Formats, int OpenErrno = 0, string Card = "Fake Camera")
{
    public const uint Capture = V4l2Constants.CapVideoCapture | V4l2Constants.CapStreaming;
    public const uint Metadata = V4l2Constants.CapMetaCapture | V4l2Constants.CapStreaming;

    public static FakeNode Camera(params string[] fourCcs) =>
        new(Capture, [.. fourCcs.Select(f => (f, (IReadOnlyList<(int, int, int[])>)[(1920, 1080, [30, 15]), (1280, 720, [30, 15, 5]), (640, 480, [30])]))]);

    public static FakeNode MetadataNode { get; } = new(Metadata, []);
}

/// <summary>
/// Stands in for the kernel's V4L2 driver (no machine here has a video device): answers the probe's
/// ioctls by decoding the request struct and writing the kernel-layout reply, EINVAL past the last entry.
/// </summary>
internal sealed class FakeV4l2Device(FakeNode node) : IV4l2Device
{
    private const int EINVAL = 22;

    public List<string> Calls { get; } = [];

    public int Ioctl(uint request, Span<byte> data)
    {
        Calls.Add(V4l2Ioctl.Name(request));
        if (request == V4l2Ioctl.QueryCap)
        {
            V4l2Structs.WriteCapability(data, new V4l2Capability("uvcvideo", node.Card, "usb-0000:00:14.0-2", 0x00060800,
                node.DeviceCaps | V4l2Constants.CapDeviceCaps | V4l2Constants.CapMetaCapture | V4l2Constants.CapVideoCapture, node.DeviceCaps));
            return 0;
        }

        if (request == V4l2Ioctl.EnumFormat)
        {
            var asked = V4l2Structs.ReadFmtDesc(data);
            if (asked.Type != V4l2Constants.BufTypeVideoCapture || asked.Index >= node.Formats.Count)
            {
                return EINVAL;
            }

            var fourCc = node.Formats[(int)asked.Index].FourCc;
            V4l2Structs.WriteFmtDesc(data, new V4l2FormatDescription(asked.Index, asked.Type, 0, fourCc + " format", V4l2Constants.FourCc(fourCc)));
            return 0;
        }

        if (request == V4l2Ioctl.EnumFrameSizes)
        {
            var asked = V4l2Structs.ReadFrmSize(data);
            var sizes = SizesOf(asked.PixelFormat);
            if (sizes is null || asked.Index >= sizes.Count)
            {
                return EINVAL;
            }

            var (w, h, _) = sizes[(int)asked.Index];
            V4l2Structs.WriteFrmSize(data, new V4l2FrameSize(asked.Index, asked.PixelFormat, V4l2Constants.FrmSizeDiscrete, (uint)w, (uint)w, 0, (uint)h, (uint)h, 0));
            return 0;
        }

        if (request == V4l2Ioctl.EnumFrameIntervals)
        {
            var asked = V4l2Structs.ReadFrmIval(data);
            var size = SizesOf(asked.PixelFormat)?.FirstOrDefault(s => s.W == asked.Width && s.H == asked.Height);
            if (size?.Fps is not { } rates || asked.Index >= rates.Length)
            {
                return EINVAL;
            }

            var interval = new V4l2Fraction(1, (uint)rates[asked.Index]);
            V4l2Structs.WriteFrmIval(data, new V4l2FrameInterval(asked.Index, asked.PixelFormat, asked.Width, asked.Height, V4l2Constants.FrmIvalDiscrete, interval, interval, default));
            return 0;
        }

        return 25; // ENOTTY, as a real driver answers an ioctl it does not know
    }

    private IReadOnlyList<(int W, int H, int[] Fps)>? SizesOf(uint pixelFormat) =>
        node.Formats.FirstOrDefault(f => V4l2Constants.FourCc(f.FourCc) == pixelFormat).Sizes;

    public void Dispose()
    {
    }
}

/// <summary>Opens fake nodes by device path; a path with no fake behaves like a missing node (ENOENT).</summary>
internal sealed class FakeV4l2Opener : IV4l2DeviceOpener
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, FakeNode> _nodes = new(StringComparer.Ordinal);

    public void Set(string devicePath, FakeNode node) => _nodes[devicePath] = node;

    public IV4l2Device Open(string devicePath) =>
        !_nodes.TryGetValue(devicePath, out var node) ? throw new V4l2Exception("open", devicePath, 2)
        : node.OpenErrno != 0 ? throw new V4l2Exception("open", devicePath, node.OpenErrno)
        : new FakeV4l2Device(node);
}

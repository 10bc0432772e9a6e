using static VideoSensor.Cameras.Usb.V4l2.V4l2Bytes;

namespace VideoSensor.Cameras.Usb.V4l2;

/// <summary>What <c>VIDIOC_QUERYCAP</c> says about a node.</summary>
internal sealed record V4l2Capability(string Driver, string Card, string BusInfo, uint Version, uint Capabilities, uint DeviceCaps)
{
    /// <summary>The node's own capabilities: <c>device_caps</c> when the driver fills it, else the device-wide set.</summary>
    public uint NodeCaps => (Capabilities & V4l2Constants.CapDeviceCaps) != 0 ? DeviceCaps : Capabilities;

    /// <summary>A single-planar capture node: the only kind ffmpeg's v4l2 input reads.</summary>
    public bool IsVideoCapture => (NodeCaps & V4l2Constants.CapVideoCapture) != 0;
}

/// <summary>One <c>VIDIOC_ENUM_FMT</c> entry.</summary>
internal sealed record V4l2FormatDescription(uint Index, uint Type, uint Flags, string Description, uint PixelFormat);

/// <summary>One <c>VIDIOC_ENUM_FRAMESIZES</c> entry; a discrete size has min = max and step 0.</summary>
internal sealed record V4l2FrameSize(uint Index, uint PixelFormat, uint Type, uint MinWidth, uint MaxWidth, uint StepWidth, uint MinHeight, uint MaxHeight, uint StepHeight);

/// <summary>A V4L2 fraction (seconds per frame for intervals).</summary>
internal readonly record struct V4l2Fraction(uint Numerator, uint Denominator);

/// <summary>One <c>VIDIOC_ENUM_FRAMEINTERVALS</c> entry; a discrete interval has min = max.</summary>
internal sealed record V4l2FrameInterval(uint Index, uint PixelFormat, uint Width, uint Height, uint Type, V4l2Fraction Min, V4l2Fraction Max, V4l2Fraction Step);

/// <summary>
/// Encoders and decoders for the <c>videodev2.h</c> structs, at the kernel's byte offsets
/// (all fields are u32 or u8 arrays, so there is no padding and one layout fits every ABI).
/// </summary>
internal static class V4l2Structs
{
    public const int CapabilitySize = 104;
    public const int FmtDescSize = 64;
    public const int FrmSizeEnumSize = 44;
    public const int FrmIvalEnumSize = 52;

    public static V4l2Capability ReadCapability(ReadOnlySpan<byte> b) => new(
        CString(b.Slice(0, 16)), CString(b.Slice(16, 32)), CString(b.Slice(48, 32)),
        U32(b, 80), U32(b, 84), U32(b, 88));

    public static void WriteCapability(Span<byte> b, V4l2Capability c)
    {
        b[..CapabilitySize].Clear();
        PutCString(b.Slice(0, 16), c.Driver);
        PutCString(b.Slice(16, 32), c.Card);
        PutCString(b.Slice(48, 32), c.BusInfo);
        Put(b, 80, c.Version);
        Put(b, 84, c.Capabilities);
        Put(b, 88, c.DeviceCaps);
    }

    /// <summary>The request half of <c>v4l2_fmtdesc</c>: index and buffer type.</summary>
    public static void WriteFmtDescRequest(Span<byte> b, uint index, uint type)
    {
        b[..FmtDescSize].Clear();
        Put(b, 0, index);
        Put(b, 4, type);
    }

    public static V4l2FormatDescription ReadFmtDesc(ReadOnlySpan<byte> b) =>
        new(U32(b, 0), U32(b, 4), U32(b, 8), CString(b.Slice(12, 32)), U32(b, 44));

    public static void WriteFmtDesc(Span<byte> b, V4l2FormatDescription d)
    {
        WriteFmtDescRequest(b, d.Index, d.Type);
        Put(b, 8, d.Flags);
        PutCString(b.Slice(12, 32), d.Description);
        Put(b, 44, d.PixelFormat);
    }

    public static void WriteFrmSizeRequest(Span<byte> b, uint index, uint pixelFormat)
    {
        b[..FrmSizeEnumSize].Clear();
        Put(b, 0, index);
        Put(b, 4, pixelFormat);
    }

    public static V4l2FrameSize ReadFrmSize(ReadOnlySpan<byte> b)
    {
        var type = U32(b, 8);
        if (type == V4l2Constants.FrmSizeDiscrete)
        {
            uint w = U32(b, 12), h = U32(b, 16);
            return new V4l2FrameSize(U32(b, 0), U32(b, 4), type, w, w, 0, h, h, 0);
        }

        return new V4l2FrameSize(U32(b, 0), U32(b, 4), type, U32(b, 12), U32(b, 16), U32(b, 20), U32(b, 24), U32(b, 28), U32(b, 32));
    }

    public static void WriteFrmSize(Span<byte> b, V4l2FrameSize s)
    {
        WriteFrmSizeRequest(b, s.Index, s.PixelFormat);
        Put(b, 8, s.Type);
        if (s.Type == V4l2Constants.FrmSizeDiscrete)
        {
            Put(b, 12, s.MinWidth);
            Put(b, 16, s.MinHeight);
            return;
        }

        Put(b, 12, s.MinWidth);
        Put(b, 16, s.MaxWidth);
        Put(b, 20, s.StepWidth);
        Put(b, 24, s.MinHeight);
        Put(b, 28, s.MaxHeight);
        Put(b, 32, s.StepHeight);
    }

    public static void WriteFrmIvalRequest(Span<byte> b, uint index, uint pixelFormat, uint width, uint height)
    {
        b[..FrmIvalEnumSize].Clear();
        Put(b, 0, index);
        Put(b, 4, pixelFormat);
        Put(b, 8, width);
        Put(b, 12, height);
    }

    public static V4l2FrameInterval ReadFrmIval(ReadOnlySpan<byte> b)
    {
        var type = U32(b, 16);
        var min = new V4l2Fraction(U32(b, 20), U32(b, 24));
        return type == V4l2Constants.FrmIvalDiscrete
            ? new V4l2FrameInterval(U32(b, 0), U32(b, 4), U32(b, 8), U32(b, 12), type, min, min, default)
            : new V4l2FrameInterval(U32(b, 0), U32(b, 4), U32(b, 8), U32(b, 12), type, min, new V4l2Fraction(U32(b, 28), U32(b, 32)), new V4l2Fraction(U32(b, 36), U32(b, 40)));
    }

    public static void WriteFrmIval(Span<byte> b, V4l2FrameInterval i)
    {
        WriteFrmIvalRequest(b, i.Index, i.PixelFormat, i.Width, i.Height);
        Put(b, 16, i.Type);
        Put(b, 20, i.Min.Numerator);
        Put(b, 24, i.Min.Denominator);
        if (i.Type != V4l2Constants.FrmIvalDiscrete)
        {
            Put(b, 28, i.Max.Numerator);
            Put(b, 32, i.Max.Denominator);
            Put(b, 36, i.Step.Numerator);
            Put(b, 40, i.Step.Denominator);
        }
    }
}

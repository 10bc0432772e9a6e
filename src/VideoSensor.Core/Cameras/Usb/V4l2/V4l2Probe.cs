namespace VideoSensor.Cameras.Usb.V4l2;

/// <summary>A frame size a format offers, with the whole frame rates it offers at that size.</summary>
internal sealed record V4l2SizeRates(Resolution Size, IReadOnlyList<int> FrameRates);

/// <summary>A pixel format with its sizes and rates.</summary>
internal sealed record V4l2FormatInfo(string FourCc, string Description, IReadOnlyList<V4l2SizeRates> Sizes);

/// <summary>What a probe found on a node.</summary>
internal sealed record V4l2ProbeResult(V4l2Capability Capability, IReadOnlyList<V4l2FormatInfo> Formats)
{
    public bool IsCapture => Capability.IsVideoCapture;
}

/// <summary>
/// Asks a node what it is and what it can deliver: <c>QUERYCAP</c>, then, for capture nodes,
/// <c>ENUM_FMT</c> → <c>ENUM_FRAMESIZES</c> → <c>ENUM_FRAMEINTERVALS</c>, each until the driver says EINVAL.
/// </summary>
internal static class V4l2Probe
{
    // Bounds so a buggy driver that never says EINVAL cannot keep the probe looping.
    private const int MaxEntries = 64;

    /// <summary>Sizes offered for stepwise/continuous ranges: the common ones inside the range, plus its ends.</summary>
    private static readonly Resolution[] CommonSizes =
        [new(320, 240), new(640, 480), new(800, 600), new(1280, 720), new(1920, 1080), new(2560, 1440), new(3840, 2160)];

    private static readonly int[] CommonRates = [5, 10, 15, 20, 24, 25, 30, 50, 60];

    public static V4l2ProbeResult Probe(IV4l2Device device, string devicePath)
    {
        Span<byte> cap = stackalloc byte[V4l2Structs.CapabilitySize];
        cap.Clear();
        Check(device.Ioctl(V4l2Ioctl.QueryCap, cap), V4l2Ioctl.QueryCap, devicePath);
        var capability = V4l2Structs.ReadCapability(cap);
        if (!capability.IsVideoCapture)
        {
            return new V4l2ProbeResult(capability, []);
        }

        var formats = new List<V4l2FormatInfo>();
        Span<byte> fmt = stackalloc byte[V4l2Structs.FmtDescSize];
        for (uint index = 0; index < MaxEntries; index++)
        {
            V4l2Structs.WriteFmtDescRequest(fmt, index, V4l2Constants.BufTypeVideoCapture);
            if (!Enumerated(device.Ioctl(V4l2Ioctl.EnumFormat, fmt), V4l2Ioctl.EnumFormat, devicePath))
            {
                break;
            }

            var desc = V4l2Structs.ReadFmtDesc(fmt);
            formats.Add(new V4l2FormatInfo(V4l2Constants.FourCcText(desc.PixelFormat), desc.Description, Sizes(device, devicePath, desc.PixelFormat)));
        }

        return new V4l2ProbeResult(capability, formats);
    }

    private static List<V4l2SizeRates> Sizes(IV4l2Device device, string devicePath, uint pixelFormat)
    {
        var sizes = new List<V4l2SizeRates>();
        Span<byte> buffer = stackalloc byte[V4l2Structs.FrmSizeEnumSize];
        for (uint index = 0; index < MaxEntries; index++)
        {
            V4l2Structs.WriteFrmSizeRequest(buffer, index, pixelFormat);
            if (!Enumerated(device.Ioctl(V4l2Ioctl.EnumFrameSizes, buffer), V4l2Ioctl.EnumFrameSizes, devicePath))
            {
                break;
            }

            var size = V4l2Structs.ReadFrmSize(buffer);
            foreach (var resolution in Expand(size))
            {
                sizes.Add(new V4l2SizeRates(resolution, Rates(device, devicePath, pixelFormat, resolution)));
            }

            if (size.Type != V4l2Constants.FrmSizeDiscrete)
            {
                break; // a range is the only entry, by the spec
            }
        }

        return sizes;
    }

    private static List<int> Rates(IV4l2Device device, string devicePath, uint pixelFormat, Resolution size)
    {
        var rates = new SortedSet<int>();
        Span<byte> buffer = stackalloc byte[V4l2Structs.FrmIvalEnumSize];
        for (uint index = 0; index < MaxEntries; index++)
        {
            V4l2Structs.WriteFrmIvalRequest(buffer, index, pixelFormat, (uint)size.Width, (uint)size.Height);
            if (!Enumerated(device.Ioctl(V4l2Ioctl.EnumFrameIntervals, buffer), V4l2Ioctl.EnumFrameIntervals, devicePath))
            {
                break;
            }

            var interval = V4l2Structs.ReadFrmIval(buffer);
            if (interval.Type == V4l2Constants.FrmIvalDiscrete)
            {
                if (Fps(interval.Min) is { } fps)
                {
                    rates.Add(fps);
                }

                continue;
            }

            // A range of intervals: the shortest interval is the highest rate.
            var max = Fps(interval.Min) ?? 0;
            var min = Fps(interval.Max) ?? 1;
            rates.UnionWith(CommonRates.Where(r => r >= min && r <= max).Append(max).Where(r => r > 0));
            break;
        }

        return [.. rates.Reverse()];
    }

    /// <summary>Frames per second of an interval, rounded (30000/1001 s⁻¹ is 30), or null for a nonsense fraction.</summary>
    public static int? Fps(V4l2Fraction interval) =>
        interval.Numerator == 0 || interval.Denominator == 0 ? null : (int)Math.Round((double)interval.Denominator / interval.Numerator);

    private static IEnumerable<Resolution> Expand(V4l2FrameSize size)
    {
        if (size.Type == V4l2Constants.FrmSizeDiscrete)
        {
            return size.MinWidth is > 0 and <= 16384 && size.MinHeight is > 0 and <= 16384 ? [new Resolution((int)size.MinWidth, (int)size.MinHeight)] : [];
        }

        bool Fits(Resolution r) =>
            r.Width >= size.MinWidth && r.Width <= size.MaxWidth && r.Height >= size.MinHeight && r.Height <= size.MaxHeight
            && (size.StepWidth <= 1 || (r.Width - size.MinWidth) % size.StepWidth == 0)
            && (size.StepHeight <= 1 || (r.Height - size.MinHeight) % size.StepHeight == 0);

        var ends = new[] { new Resolution((int)size.MinWidth, (int)size.MinHeight), new Resolution((int)size.MaxWidth, (int)size.MaxHeight) };
        return CommonSizes.Where(Fits).Concat(ends.Where(e => e.Width is > 0 and <= 16384 && e.Height is > 0 and <= 16384)).Distinct();
    }

    /// <summary>true for an entry, false for EINVAL (the end of the list); any other errno is a failure.</summary>
    private static bool Enumerated(int errno, uint request, string devicePath) =>
        errno == 0 || (errno == Tmds.Linux.LibC.EINVAL ? false : throw new V4l2Exception(V4l2Ioctl.Name(request), devicePath, errno));

    private static void Check(int errno, uint request, string devicePath)
    {
        if (errno != 0)
        {
            throw new V4l2Exception(V4l2Ioctl.Name(request), devicePath, errno);
        }
    }
}

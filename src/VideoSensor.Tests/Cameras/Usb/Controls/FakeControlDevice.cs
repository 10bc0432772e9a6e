using VideoSensor.Cameras.Usb.Controls;
using VideoSensor.Cameras.Usb.V4l2;
using static VideoSensor.Cameras.Usb.Controls.V4l2ControlAbi;

namespace VideoSensor.Tests.Cameras.Usb.Controls;

/// <summary>One control the simulated camera offers; <see cref="InactiveUnless"/> makes it depend on another (auto modes).</summary>
internal sealed record FakeControl(uint Id, uint Type, string Name, int Min, int Max, int Step, int Default, uint Flags = 0,
    IReadOnlyDictionary<uint, string>? Menu = null, (uint Id, int Value)? InactiveUnless = null);

/// <summary>
/// A simulated UVC camera answering the control ioctls the way the kernel does: kernel-layout structs in and out,
/// NEXT_CTRL enumeration in id order, EINVAL past the end and for menu gaps, EACCES for read-only writes, ERANGE
/// outside the range, INACTIVE flags that follow the auto-mode controls, and (optionally) ENOTTY for the extended query.
/// </summary>
internal sealed class FakeControlDevice : IV4l2DeviceOpener
{
    private readonly SortedDictionary<uint, FakeControl> _controls = [];
    private readonly Dictionary<uint, int> _values = [];
    private readonly Lock _gate = new();

    public FakeControlDevice(IEnumerable<FakeControl> controls)
    {
        foreach (var c in controls)
        {
            _controls[c.Id] = c;
        }

        ResetToDefaults();
    }

    public bool SupportsExtendedQuery { get; set; } = true;
    public int Writes { get; private set; }
    public List<string> OpenedPaths { get; } = [];

    /// <summary>A typical UVC webcam's controls (names and ids as uvcvideo reports them), with a read-only one and class headings.</summary>
    public static FakeControlDevice Webcam() => new(
    [
        new(0x00980001, TypeControlClass, "User Controls", 0, 0, 0, 0, FlagReadOnly | FlagWriteOnly),
        new(CidBrightness, TypeInteger, "Brightness", -64, 64, 1, 0, FlagSlider),
        new(CidContrast, TypeInteger, "Contrast", 0, 100, 5, 50, FlagSlider),
        new(CidAutoWhiteBalance, TypeBoolean, "White Balance, Automatic", 0, 1, 1, 1),
        new(CidGain, TypeInteger, "Gain", 0, 255, 1, 32),
        new(CidPowerLineFrequency, TypeMenu, "Power Line Frequency", 0, 2, 1, 1, 0, new Dictionary<uint, string> { [0] = "Disabled", [1] = "50 Hz", [2] = "60 Hz" }),
        new(CidWhiteBalanceTemperature, TypeInteger, "White Balance Temperature", 2800, 6500, 10, 4600, 0, null, (CidAutoWhiteBalance, 0)),
        new(0x009a0001, TypeControlClass, "Camera Controls", 0, 0, 0, 0, FlagReadOnly | FlagWriteOnly),
        new(CidExposureAuto, TypeMenu, "Auto Exposure", 0, 3, 1, 3, 0, new Dictionary<uint, string> { [1] = "Manual Mode", [3] = "Aperture Priority Mode" }),
        new(CidExposureAbsolute, TypeInteger, "Exposure Time, Absolute", 3, 2047, 1, 250, FlagVolatile, null, (CidExposureAuto, 1)),
        new(0x009a0910, TypeBoolean, "Privacy", 0, 1, 1, 0, FlagReadOnly),
    ]);

    public int Value(uint id)
    {
        lock (_gate)
        {
            return _values[id];
        }
    }

    /// <summary>What a camera does when unplugged and plugged in again: it forgets every setting.</summary>
    public void ResetToDefaults()
    {
        lock (_gate)
        {
            foreach (var c in _controls.Values)
            {
                _values[c.Id] = c.Default;
            }
        }
    }

    public IV4l2Device Open(string devicePath)
    {
        lock (_gate)
        {
            OpenedPaths.Add(devicePath);
        }

        return new Handle(this);
    }

    private int Ioctl(uint request, Span<byte> b)
    {
        lock (_gate)
        {
            if (request == QueryExtControl)
            {
                return SupportsExtendedQuery ? Query(b, extended: true) : Errnos.ENOTTY;
            }

            if (request == QueryControl)
            {
                return Query(b, extended: false);
            }

            if (request == QueryMenu)
            {
                var (id, index) = (BitConverter.ToUInt32(b), BitConverter.ToUInt32(b[4..]));
                if (!_controls.TryGetValue(id, out var c) || c.Menu is null || !c.Menu.TryGetValue(index, out var name))
                {
                    return Errnos.EINVAL;
                }

                V4l2ControlStructs.WriteMenu(b, new V4l2MenuEntry(id, index, name, null));
                return 0;
            }

            if (request == GetControl || request == SetControl)
            {
                var (id, value) = V4l2ControlStructs.ReadControl(b);
                if (!_controls.TryGetValue(id, out var c) || c.Type == TypeControlClass)
                {
                    return Errnos.EINVAL;
                }

                if (request == GetControl)
                {
                    V4l2ControlStructs.WriteControl(b, id, _values[id]);
                    return 0;
                }

                if ((c.Flags & FlagReadOnly) != 0)
                {
                    return Errnos.EACCES;
                }

                if (value < c.Min || value > c.Max)
                {
                    return Errnos.ERANGE;
                }

                _values[id] = value;
                Writes++;
                return 0;
            }

            return Errnos.ENOTTY;
        }
    }

    private int Query(Span<byte> b, bool extended)
    {
        var requested = BitConverter.ToUInt32(b);
        var next = (requested & FlagNextControl) != 0;
        var id = requested & IdMask;
        var c = next ? _controls.Values.FirstOrDefault(x => x.Id > id) : _controls.GetValueOrDefault(id);

        if (c is null)
        {
            return Errnos.EINVAL;
        }

        var flags = c.Flags | (c.InactiveUnless is { } dep && _values[dep.Id] != dep.Value ? FlagInactive : 0);
        var info = new V4l2ControlInfo(c.Id, c.Type, c.Name, c.Min, c.Max, (ulong)c.Step, c.Default, flags, 4, 1, 0);
        if (extended)
        {
            V4l2ControlStructs.WriteQueryExtCtrl(b, info);
        }
        else
        {
            V4l2ControlStructs.WriteQueryCtrl(b, info);
        }

        return 0;
    }

    private sealed class Handle(FakeControlDevice device) : IV4l2Device
    {
        public int Ioctl(uint request, Span<byte> data) => device.Ioctl(request, data);

        public void Dispose()
        {
        }
    }
}

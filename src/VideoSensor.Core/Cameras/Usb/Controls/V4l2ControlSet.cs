using System.Text;
using VideoSensor.Cameras.Usb.V4l2;

namespace VideoSensor.Cameras.Usb.Controls;

/// <summary>
/// The controls of one open device: enumeration with <c>V4L2_CTRL_FLAG_NEXT_CTRL</c> (the extended query, or the
/// classic one on drivers without it), menus, and reading and writing 32-bit values with G/S_CTRL.
/// </summary>
internal static class V4l2ControlSet
{
    /// <summary>Every control the driver reports, except disabled ones and class headings.</summary>
    public static IReadOnlyList<CameraControl> Enumerate(IV4l2Device device)
    {
        var infos = QueryAll(device);
        var controls = new List<CameraControl>(infos.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var info in infos)
        {
            if ((info.Flags & V4l2ControlAbi.FlagDisabled) != 0 || info.Type == V4l2ControlAbi.TypeControlClass)
            {
                continue;
            }

            var name = Slug(info.Name);
            if (!names.Add(name))
            {
                name = $"{name}_{info.Id:x8}";
                names.Add(name);
            }

            controls.Add(Describe(device, info, name));
        }

        return controls;
    }

    /// <summary>Reads a control's current value, or null when it has none to read (write-only, buttons, 64-bit and compound types).</summary>
    public static long? TryRead(IV4l2Device device, uint id, uint type, uint flags)
    {
        if (!HasValue(type) || (flags & V4l2ControlAbi.FlagWriteOnly) != 0)
        {
            return null;
        }

        Span<byte> b = stackalloc byte[V4l2ControlStructs.ControlSize];
        V4l2ControlStructs.WriteControl(b, id, 0);
        return device.Ioctl(V4l2ControlAbi.GetControl, b) == 0 ? V4l2ControlStructs.ReadControl(b).Value : null;
    }

    /// <summary>Writes a 32-bit value; throws with the errno when the driver refuses.</summary>
    public static void Write(IV4l2Device device, uint id, int value)
    {
        Span<byte> b = stackalloc byte[V4l2ControlStructs.ControlSize];
        V4l2ControlStructs.WriteControl(b, id, value);
        var rc = device.Ioctl(V4l2ControlAbi.SetControl, b);
        if (rc != 0)
        {
            throw new V4l2ControlException($"VIDIOC_S_CTRL 0x{id:x8}", rc);
        }
    }

    /// <summary>Controls whose value fits <c>v4l2_control</c> (G/S_CTRL); buttons are written, never read.</summary>
    public static bool HasValue(uint type) =>
        type is V4l2ControlAbi.TypeInteger or V4l2ControlAbi.TypeBoolean or V4l2ControlAbi.TypeMenu or V4l2ControlAbi.TypeIntegerMenu or V4l2ControlAbi.TypeBitmask;

    /// <summary>The driver's label as a stable API name: "White Balance Temperature, Auto" → white_balance_temperature_auto.</summary>
    public static string Slug(string label)
    {
        var sb = new StringBuilder(label.Length);
        foreach (var c in label.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '_')
            {
                sb.Append('_');
            }
        }

        return sb.ToString().TrimEnd('_') is { Length: > 0 } s ? s : "control";
    }

    private static List<V4l2ControlInfo> QueryAll(IV4l2Device device)
    {
        var result = new List<V4l2ControlInfo>();
        var extended = true;
        var next = V4l2ControlAbi.FlagNextControl;
        Span<byte> b = stackalloc byte[V4l2ControlStructs.QueryExtCtrlSize];
        while (true)
        {
            int rc;
            V4l2ControlInfo? info = null;
            if (extended)
            {
                V4l2ControlStructs.WriteQueryRequest(b, next, V4l2ControlStructs.QueryExtCtrlSize);
                rc = device.Ioctl(V4l2ControlAbi.QueryExtControl, b[..V4l2ControlStructs.QueryExtCtrlSize]);
                if (rc == Errnos.ENOTTY && result.Count == 0)
                {
                    extended = false; // kernels before 3.17 and some out-of-tree drivers: the classic query
                    continue;
                }

                if (rc == 0)
                {
                    info = V4l2ControlStructs.ReadQueryExtCtrl(b);
                }
            }
            else
            {
                V4l2ControlStructs.WriteQueryRequest(b, next, V4l2ControlStructs.QueryCtrlSize);
                rc = device.Ioctl(V4l2ControlAbi.QueryControl, b[..V4l2ControlStructs.QueryCtrlSize]);
                if (rc == 0)
                {
                    info = V4l2ControlStructs.ReadQueryCtrl(b);
                }
            }

            if (info is null)
            {
                // EINVAL ends the enumeration; anything else (EIO from a sulking camera) too, with what we have.
                return result;
            }

            result.Add(info);
            next = (info.Id & V4l2ControlAbi.IdMask) | V4l2ControlAbi.FlagNextControl;
        }
    }

    private static CameraControl Describe(IV4l2Device device, V4l2ControlInfo info, string name)
    {
        var menu = info.Type is V4l2ControlAbi.TypeMenu or V4l2ControlAbi.TypeIntegerMenu ? Menu(device, info) : null;
        return new CameraControl(
            info.Id,
            name,
            info.Name,
            V4l2ControlAbi.TypeName(info.Type),
            info.Minimum,
            info.Maximum,
            (long)Math.Min(info.Step, long.MaxValue),
            info.Default,
            TryRead(device, info.Id, info.Type, info.Flags),
            menu,
            V4l2ControlAbi.FlagList(info.Flags),
            (info.Flags & V4l2ControlAbi.FlagInactive) != 0,
            (info.Flags & V4l2ControlAbi.FlagReadOnly) != 0)
        {
            RawType = info.Type,
            RawFlags = info.Flags,
        };
    }

    /// <summary>Menu entries from minimum to maximum; indexes the driver refuses (EINVAL) are gaps, as the spec allows.</summary>
    private static List<ControlMenuItem> Menu(IV4l2Device device, V4l2ControlInfo info)
    {
        var items = new List<ControlMenuItem>();
        Span<byte> b = stackalloc byte[V4l2ControlStructs.QueryMenuSize];
        var integer = info.Type == V4l2ControlAbi.TypeIntegerMenu;
        for (var index = Math.Max(0, info.Minimum); index <= info.Maximum && index - info.Minimum < 256; index++)
        {
            V4l2ControlStructs.WriteMenuRequest(b, info.Id, (uint)index);
            if (device.Ioctl(V4l2ControlAbi.QueryMenu, b) == 0)
            {
                var entry = V4l2ControlStructs.ReadMenu(b, integer);
                items.Add(new ControlMenuItem(index, entry.Name, entry.Value));
            }
        }

        return items;
    }
}

using System.Buffers.Binary;
using static VideoSensor.Cameras.Usb.V4l2.V4l2Bytes;

namespace VideoSensor.Cameras.Usb.Controls;

/// <summary>What <c>VIDIOC_QUERYCTRL</c> or <c>VIDIOC_QUERY_EXT_CTRL</c> says about one control (the ext form widened to 64 bits).</summary>
internal sealed record V4l2ControlInfo(uint Id, uint Type, string Name, long Minimum, long Maximum, ulong Step, long Default, uint Flags, uint ElemSize = 0, uint Elems = 1, uint Dims = 0);

/// <summary>One <c>VIDIOC_QUERYMENU</c> answer: a name for menus, a value for integer menus.</summary>
internal sealed record V4l2MenuEntry(uint Id, uint Index, string? Name, long? Value);

/// <summary>
/// Encoders and decoders for the control structs of <c>videodev2.h</c>, at the kernel's byte offsets
/// (little-endian, as on every platform this service targets):
/// <c>v4l2_queryctrl</c> 68 bytes, <c>v4l2_query_ext_ctrl</c> 232, <c>v4l2_querymenu</c> 44 (packed), <c>v4l2_control</c> 8.
/// </summary>
internal static class V4l2ControlStructs
{
    public const int QueryCtrlSize = 68;
    public const int QueryExtCtrlSize = 232;
    public const int QueryMenuSize = 44;
    public const int ControlSize = 8;
    private const int NameLength = 32;

    /// <summary>A query for <paramref name="id"/> (possibly OR-ed with the NEXT flags); everything else zero.</summary>
    public static void WriteQueryRequest(Span<byte> b, uint id, int size)
    {
        b[..size].Clear();
        Put(b, 0, id);
    }

    public static V4l2ControlInfo ReadQueryCtrl(ReadOnlySpan<byte> b) => new(
        U32(b, 0), U32(b, 4), CString(b.Slice(8, NameLength)),
        I32(b, 40), I32(b, 44), (ulong)(uint)I32(b, 48), I32(b, 52), U32(b, 56));

    public static void WriteQueryCtrl(Span<byte> b, V4l2ControlInfo c)
    {
        WriteQueryRequest(b, c.Id, QueryCtrlSize);
        Put(b, 4, c.Type);
        PutCString(b.Slice(8, NameLength), c.Name);
        Put(b, 40, (uint)(int)c.Minimum);
        Put(b, 44, (uint)(int)c.Maximum);
        Put(b, 48, (uint)c.Step);
        Put(b, 52, (uint)(int)c.Default);
        Put(b, 56, c.Flags);
    }

    public static V4l2ControlInfo ReadQueryExtCtrl(ReadOnlySpan<byte> b) => new(
        U32(b, 0), U32(b, 4), CString(b.Slice(8, NameLength)),
        BinaryPrimitives.ReadInt64LittleEndian(b[40..]), BinaryPrimitives.ReadInt64LittleEndian(b[48..]),
        BinaryPrimitives.ReadUInt64LittleEndian(b[56..]), BinaryPrimitives.ReadInt64LittleEndian(b[64..]),
        U32(b, 72), U32(b, 76), U32(b, 80), U32(b, 84));

    public static void WriteQueryExtCtrl(Span<byte> b, V4l2ControlInfo c)
    {
        WriteQueryRequest(b, c.Id, QueryExtCtrlSize);
        Put(b, 4, c.Type);
        PutCString(b.Slice(8, NameLength), c.Name);
        BinaryPrimitives.WriteInt64LittleEndian(b[40..], c.Minimum);
        BinaryPrimitives.WriteInt64LittleEndian(b[48..], c.Maximum);
        BinaryPrimitives.WriteUInt64LittleEndian(b[56..], c.Step);
        BinaryPrimitives.WriteInt64LittleEndian(b[64..], c.Default);
        Put(b, 72, c.Flags);
        Put(b, 76, c.ElemSize);
        Put(b, 80, c.Elems);
        Put(b, 84, c.Dims);
    }

    public static void WriteMenuRequest(Span<byte> b, uint id, uint index)
    {
        b[..QueryMenuSize].Clear();
        Put(b, 0, id);
        Put(b, 4, index);
    }

    /// <summary>The union at offset 8 is a name for menus and an s64 for integer menus; the caller knows which.</summary>
    public static V4l2MenuEntry ReadMenu(ReadOnlySpan<byte> b, bool integerMenu) => integerMenu
        ? new V4l2MenuEntry(U32(b, 0), U32(b, 4), null, BinaryPrimitives.ReadInt64LittleEndian(b[8..]))
        : new V4l2MenuEntry(U32(b, 0), U32(b, 4), CString(b.Slice(8, NameLength)), null);

    public static void WriteMenu(Span<byte> b, V4l2MenuEntry m)
    {
        WriteMenuRequest(b, m.Id, m.Index);
        if (m.Value is { } value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(b[8..], value);
        }
        else
        {
            PutCString(b.Slice(8, NameLength), m.Name ?? "");
        }
    }

    public static void WriteControl(Span<byte> b, uint id, int value)
    {
        Put(b, 0, id);
        Put(b, 4, (uint)value);
    }

    public static (uint Id, int Value) ReadControl(ReadOnlySpan<byte> b) => (U32(b, 0), I32(b, 4));
}

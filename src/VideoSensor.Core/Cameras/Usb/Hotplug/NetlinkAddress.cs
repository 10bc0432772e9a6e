using System.Buffers.Binary;

namespace VideoSensor.Cameras.Usb.Hotplug;

/// <summary>
/// <c>struct sockaddr_nl</c> (12 bytes: u16 family, u16 pad, u32 port id, u32 group mask), which
/// Tmds.LibC does not declare. Kept as bytes so the layout is one tested function.
/// </summary>
internal readonly record struct NetlinkAddress(uint PortId, uint Groups)
{
    public const int Size = 12;
    public const ushort AfNetlink = 16;

    /// <summary>Multicast group of kernel uevents.</summary>
    public const uint KernelGroup = 1;

    /// <summary>Multicast group of udevd's processed uevents (libudev format).</summary>
    public const uint UdevGroup = 2;

    public void Write(Span<byte> b)
    {
        b[..Size].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(b, AfNetlink);
        BinaryPrimitives.WriteUInt32LittleEndian(b[4..], PortId);
        BinaryPrimitives.WriteUInt32LittleEndian(b[8..], Groups);
    }

    public static NetlinkAddress Read(ReadOnlySpan<byte> b) =>
        new(BinaryPrimitives.ReadUInt32LittleEndian(b[4..]), BinaryPrimitives.ReadUInt32LittleEndian(b[8..]));

    /// <summary>The group bit for a group number (<c>1 &lt;&lt; (group - 1)</c>), as bind and sendto take it.</summary>
    public static uint Mask(uint group) => 1u << (int)(group - 1);
}

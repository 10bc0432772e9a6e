using System.Buffers.Binary;
using System.Text;

namespace VideoSensor.Cameras.Usb.V4l2;

/// <summary>
/// Reading and writing the fields of V4L2's ioctl structs in a byte buffer. The structs are in host byte
/// order; every platform this runs on is little-endian.
/// </summary>
internal static class V4l2Bytes
{
    public static uint U32(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(b[offset..]);

    public static int I32(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadInt32LittleEndian(b[offset..]);

    public static void Put(Span<byte> b, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(b[offset..], value);

    /// <summary>A NUL-terminated (or full-length) string; bytes that are not UTF-8 become U+FFFD, never an exception.</summary>
    public static string CString(ReadOnlySpan<byte> b)
    {
        var end = b.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? b : b[..end]);
    }

    /// <summary>Writes a string NUL-terminated into a fixed-size field, cut to fit; the rest of the field is zeroed.</summary>
    public static void PutCString(Span<byte> b, string value)
    {
        b.Clear();
        var bytes = Encoding.UTF8.GetBytes(value);
        bytes.AsSpan(0, Math.Min(bytes.Length, b.Length - 1)).CopyTo(b);
    }
}

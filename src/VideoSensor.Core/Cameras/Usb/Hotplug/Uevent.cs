using System.Buffers.Binary;
using System.Text;

namespace VideoSensor.Cameras.Usb.Hotplug;

/// <summary>Who sent a uevent: the kernel itself (group 1) or udevd after processing it (group 2).</summary>
internal enum UeventSource
{
    Kernel,
    Udev,
}

/// <summary>One uevent: <c>ACTION</c>, <c>DEVPATH</c>, <c>SUBSYSTEM</c>, <c>DEVNAME</c> and the rest of its properties.</summary>
internal sealed record Uevent(UeventSource Source, string Action, string DevPath, string Subsystem, string? DevName, IReadOnlyDictionary<string, string> Properties)
{
    public const string VideoSubsystem = "video4linux";

    /// <summary>The node name (<c>video3</c>) whether the message said <c>video3</c> (kernel) or <c>/dev/video3</c> (udev).</summary>
    public string? NodeName => DevName is { Length: > 0 } name ? Path.GetFileName(name) : DevPath.Length > 0 ? Path.GetFileName(DevPath) : null;
}

/// <summary>
/// Parses the two wire formats found on NETLINK_KOBJECT_UEVENT: the kernel's
/// <c>action@devpath\0KEY=VALUE\0…</c>, and libudev's <c>"libudev\0"</c> + header + <c>KEY=VALUE\0…</c>.
/// Anything else (or anything truncated) is null, never an exception.
/// </summary>
internal static class UeventParser
{
    public const uint UdevMagic = 0xfeedcafe;
    public const int UdevHeaderSize = 40;
    private static ReadOnlySpan<byte> UdevPrefix => "libudev\0"u8;

    public static Uevent? Parse(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(UdevPrefix))
        {
            return ParseUdev(data);
        }

        var headerEnd = data.IndexOf((byte)0);
        if (headerEnd <= 0 || data[..headerEnd].IndexOf((byte)'@') <= 0)
        {
            return null;
        }

        return Build(UeventSource.Kernel, Properties(data[(headerEnd + 1)..]));
    }

    /// <summary>A kernel-format message, as <c>kobject_uevent</c> broadcasts it (used by tests and the benchmark).</summary>
    public static byte[] FormatKernel(string action, string devPath, IEnumerable<KeyValuePair<string, string>> properties)
    {
        var text = new StringBuilder().Append(action).Append('@').Append(devPath).Append('\0');
        text.Append("ACTION=").Append(action).Append('\0').Append("DEVPATH=").Append(devPath).Append('\0');
        foreach (var (key, value) in properties)
        {
            text.Append(key).Append('=').Append(value).Append('\0');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>A libudev-format message: the 40-byte <c>monitor_netlink_header</c>, then the properties.</summary>
    public static byte[] FormatUdev(IEnumerable<KeyValuePair<string, string>> properties)
    {
        var body = Encoding.UTF8.GetBytes(string.Concat(properties.Select(p => $"{p.Key}={p.Value}\0")));
        var message = new byte[UdevHeaderSize + body.Length];
        UdevPrefix.CopyTo(message);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(8), UdevMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(12), UdevHeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(16), UdevHeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(20), (uint)body.Length);
        body.CopyTo(message.AsSpan(UdevHeaderSize));
        return message;
    }

    private static Uevent? ParseUdev(ReadOnlySpan<byte> data)
    {
        if (data.Length < UdevHeaderSize || BinaryPrimitives.ReadUInt32BigEndian(data[8..]) != UdevMagic)
        {
            return null;
        }

        // header_size, properties_off and properties_len are in host order (udevd writes them natively).
        var offset = BinaryPrimitives.ReadUInt32LittleEndian(data[16..]);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(data[20..]);
        if (offset < UdevHeaderSize || offset > data.Length || length > data.Length - offset)
        {
            return null;
        }

        return Build(UeventSource.Udev, Properties(data.Slice((int)offset, (int)length)));
    }

    private static Dictionary<string, string> Properties(ReadOnlySpan<byte> data)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        while (data.Length > 0)
        {
            var end = data.IndexOf((byte)0);
            var item = end < 0 ? data : data[..end];
            var eq = item.IndexOf((byte)'=');
            if (eq > 0)
            {
                properties[Encoding.UTF8.GetString(item[..eq])] = Encoding.UTF8.GetString(item[(eq + 1)..]);
            }

            data = end < 0 ? [] : data[(end + 1)..];
        }

        return properties;
    }

    private static Uevent? Build(UeventSource source, Dictionary<string, string> p) =>
        p.TryGetValue("ACTION", out var action) && p.TryGetValue("SUBSYSTEM", out var subsystem)
            ? new Uevent(source, action, p.GetValueOrDefault("DEVPATH", ""), subsystem, p.GetValueOrDefault("DEVNAME"), p)
            : null;
}

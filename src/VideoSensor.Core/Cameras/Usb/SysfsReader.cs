using System.Globalization;
using System.Text.RegularExpressions;

namespace VideoSensor.Cameras.Usb;

/// <summary>
/// Reads video nodes and their USB parents from sysfs under a configurable root (so tests can lay out a tree).
/// Every attribute is optional to the reader: what is missing or malformed is reported in
/// <see cref="UsbNode.Problem"/>, never thrown.
/// </summary>
internal sealed partial class SysfsReader(string sysfsRoot, string devRoot)
{
    private const int MaxText = 128;
    private readonly string _classDir = Path.Combine(sysfsRoot, "class", "video4linux");
    private readonly string _root = Path.GetFullPath(sysfsRoot);

    /// <summary>Every <c>videoN</c> node present now, in kernel order.</summary>
    public IReadOnlyList<UsbNode> Enumerate()
    {
        if (!Directory.Exists(_classDir))
        {
            return [];
        }

        return [.. Directory.EnumerateFileSystemEntries(_classDir)
            .Select(Path.GetFileName)
            .Where(n => n is not null && IsNodeName(n))
            .Select(n => Read(n!))
            .OfType<UsbNode>()
            .OrderBy(n => n.Number)];
    }

    /// <summary>One node, or null when it is not there (gone, or never was).</summary>
    public UsbNode? Read(string name)
    {
        if (!IsNodeName(name))
        {
            return null;
        }

        var entry = Path.Combine(_classDir, name);
        var nodeDir = Resolve(entry);
        if (nodeDir is null)
        {
            return null;
        }

        var devicePath = Path.Combine(devRoot, name);
        var label = Text(nodeDir, "name");
        var indexText = Text(nodeDir, "index");
        int? index = int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;

        var usbDir = FindUsbParent(nodeDir);
        if (usbDir is null)
        {
            return new UsbNode(name, devicePath, label, index, null, null, "not a USB device (no USB parent with idVendor in sysfs)");
        }

        var vendor = Text(usbDir, "idVendor")?.ToLowerInvariant();
        var product = Text(usbDir, "idProduct")?.ToLowerInvariant();
        var usbName = Path.GetFileName(usbDir);
        if (vendor is null || product is null || !HexId().IsMatch(vendor) || !HexId().IsMatch(product))
        {
            return new UsbNode(name, devicePath, label, index, null, usbName,
                $"malformed USB ids in sysfs (idVendor '{Printable(vendor)}', idProduct '{Printable(product)}'): expected 4 hex digits each");
        }

        var serial = Text(usbDir, "serial");
        var busnum = Text(usbDir, "busnum");
        var portPath = Text(usbDir, "devpath");
        var info = new UsbDeviceInfo(
            vendor,
            product,
            serial is { Length: > 0 } && serial.All(c => c is > ' ' and <= '~') ? serial : null,
            busnum is not null && BusNumber().IsMatch(busnum) ? busnum : null,
            portPath is not null && PortPath().IsMatch(portPath) ? portPath : null,
            Clean(Text(usbDir, "manufacturer")),
            Clean(Text(usbDir, "product")));
        var problem = info.Serial is null && (info.BusNumber is null || info.PortPath is null)
            ? $"no serial and no valid USB port path in sysfs (busnum '{Printable(busnum)}', devpath '{Printable(portPath)}'): cannot give it a stable id"
            : null;
        return new UsbNode(name, devicePath, Clean(label), index, info, usbName, problem, usbDir);
    }

    public static bool IsNodeName(string name) => NodeName().IsMatch(name);

    /// <summary>The real directory behind a class entry (a symlink into /sys/devices on a real system).</summary>
    private static string? Resolve(string entry)
    {
        try
        {
            var info = new DirectoryInfo(entry);
            if (!info.Exists)
            {
                return null;
            }

            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            return target?.FullName ?? info.FullName;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Follows the node's <c>device</c> link (the USB interface) and walks up to the USB device.</summary>
    private string? FindUsbParent(string nodeDir)
    {
        var start = Resolve(Path.Combine(nodeDir, "device")) ?? nodeDir;
        for (var dir = start; dir is not null && dir.StartsWith(_root, StringComparison.Ordinal) && dir.Length > _root.Length; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "idVendor")))
            {
                return dir;
            }
        }

        return null;
    }

    private static string? Text(string dir, string attribute)
    {
        try
        {
            var path = Path.Combine(dir, attribute);
            if (!File.Exists(path))
            {
                return null;
            }

            // sysfs attributes are one page at most; read a bounded amount so a bogus file cannot hurt.
            using var stream = File.OpenRead(path);
            var buffer = new byte[4096];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, read).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Display text without control characters, bounded in length; null when nothing printable is left.</summary>
    private static string? Clean(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var cleaned = new string([.. text.Where(c => !char.IsControl(c) && c != '\uFFFD')]).Trim();
        return cleaned.Length == 0 ? null : cleaned.Length > MaxText ? cleaned[..MaxText] : cleaned;
    }

    private static string Printable(string? text) => Clean(text) is { } t ? (t.Length > 16 ? t[..16] + "…" : t) : "";

    [GeneratedRegex("^video[0-9]{1,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex NodeName();

    [GeneratedRegex("^[0-9a-f]{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex HexId();

    [GeneratedRegex("^[0-9]{1,3}$", RegexOptions.CultureInvariant)]
    private static partial Regex BusNumber();

    [GeneratedRegex(@"^[0-9]{1,3}(\.[0-9]{1,3}){0,6}$", RegexOptions.CultureInvariant)]
    private static partial Regex PortPath();
}

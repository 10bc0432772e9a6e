namespace VideoSensor.Tests.Cameras.Usb;

/// <summary>
/// A sysfs + /dev layout in a temp folder, shaped like a real one: the class entry is a symlink into
/// <c>devices/…/usbN/B-P/B-P:1.0/video4linux/videoN</c>, whose <c>device</c> link points at the USB interface.
/// </summary>
internal sealed class SysfsTree : IDisposable
{
    private readonly Fixtures.TempDirectory _dir = new("sysfs");

    public SysfsTree()
    {
        Directory.CreateDirectory(ClassDir);
        Directory.CreateDirectory(DevRoot);
    }

    public string SysfsRoot => _dir.Combine("sys");
    public string DevRoot => _dir.Combine("dev");
    public string ProcRoot => _dir.Combine("proc");
    private string ClassDir => Path.Combine(SysfsRoot, "class", "video4linux");

    /// <summary>Adds a node; attributes left null are not written (missing), any text is written as is.</summary>
    public string AddNode(string node, string port, string? vid = "046d", string? pid = "0825", string? serial = "SER1", string? busnum = "1",
        string? devpath = null, string? name = "HD Webcam C270", int index = 0, string? manufacturer = "Logitech", string? product = "Webcam C270")
    {
        var usbDir = Path.Combine(SysfsRoot, "devices", "pci0000:00", "0000:00:14.0", "usb1", port);
        var interfaceDir = Path.Combine(usbDir, $"{port}:1.0");
        var nodeDir = Path.Combine(interfaceDir, "video4linux", node);
        Directory.CreateDirectory(nodeDir);
        Write(usbDir, "idVendor", vid);
        Write(usbDir, "idProduct", pid);
        Write(usbDir, "serial", serial);
        Write(usbDir, "busnum", busnum);
        Write(usbDir, "devpath", devpath ?? port.Split('-')[1]);
        Write(usbDir, "manufacturer", manufacturer);
        Write(usbDir, "product", product);
        Write(nodeDir, "name", name);
        Write(nodeDir, "index", index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.CreateSymbolicLink(Path.Combine(nodeDir, "device"), Path.Combine("..", ".."));
        File.CreateSymbolicLink(Path.Combine(ClassDir, node), Path.GetRelativePath(ClassDir, nodeDir));
        File.WriteAllText(Path.Combine(DevRoot, node), "");
        return Path.Combine(DevRoot, node);
    }

    /// <summary>
    /// Adds an ALSA card on the USB device at <paramref name="port"/> (its audio interface <c>:1.2</c>), as the USB audio
    /// driver lays it out: <c>sound/cardN</c> with <c>id</c> and one <c>pcmCNDxc</c> per capture device (and <c>…p</c>
    /// per playback device), the <c>/sys/class/sound/cardN</c> link, and <c>/proc/asound/cardN/stream0</c>.
    /// </summary>
    public void AddSoundCard(string port, int card, string id, string? stream0, int[]? captureDevices = null, int[]? playbackDevices = null)
    {
        var usbDir = Path.Combine(SysfsRoot, "devices", "pci0000:00", "0000:00:14.0", "usb1", port);
        var cardDir = Path.Combine(usbDir, $"{port}:1.2", "sound", $"card{card}");
        Directory.CreateDirectory(cardDir);
        Write(cardDir, "id", id);
        foreach (var device in captureDevices ?? [0])
        {
            Directory.CreateDirectory(Path.Combine(cardDir, $"pcmC{card}D{device}c"));
        }

        foreach (var device in playbackDevices ?? [])
        {
            Directory.CreateDirectory(Path.Combine(cardDir, $"pcmC{card}D{device}p"));
        }

        var classDir = Path.Combine(SysfsRoot, "class", "sound");
        Directory.CreateDirectory(classDir);
        File.CreateSymbolicLink(Path.Combine(classDir, $"card{card}"), Path.GetRelativePath(classDir, cardDir));
        if (stream0 is not null)
        {
            var proc = Path.Combine(ProcRoot, "asound", $"card{card}");
            Directory.CreateDirectory(proc);
            File.WriteAllText(Path.Combine(proc, "stream0"), stream0);
        }
    }

    /// <summary>Unplugs: the class entry, the device folder and the /dev node disappear, as on a real system.</summary>
    public void RemoveNode(string node)
    {
        var link = Path.Combine(ClassDir, node);
        var target = new DirectoryInfo(link).ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        File.Delete(link);
        File.Delete(Path.Combine(DevRoot, node));
        if (target is not null && Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }
    }

    public void WriteBytes(string node, string attribute, byte[] bytes, bool onUsbDevice = true)
    {
        var nodeDir = new DirectoryInfo(Path.Combine(ClassDir, node)).ResolveLinkTarget(returnFinalTarget: true)!.FullName;
        var dir = onUsbDevice ? Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(nodeDir)))! : nodeDir;
        File.WriteAllBytes(Path.Combine(dir, attribute), bytes);
    }

    private static void Write(string dir, string attribute, string? value)
    {
        if (value is not null)
        {
            File.WriteAllText(Path.Combine(dir, attribute), value + "\n");
        }
    }

    public void Dispose() => _dir.Dispose();
}

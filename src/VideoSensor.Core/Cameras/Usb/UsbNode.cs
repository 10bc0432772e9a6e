namespace VideoSensor.Cameras.Usb;

/// <summary>The USB device a video node belongs to, as its sysfs attributes describe it.</summary>
internal sealed record UsbDeviceInfo(
    string VendorId,
    string ProductId,
    string? Serial,
    string? BusNumber,
    string? PortPath,
    string? Manufacturer,
    string? Product)
{
    /// <summary><c>vvvv:pppp</c>, lower case, as assignments are written.</summary>
    public string VidPid => $"{VendorId}:{ProductId}";
}

/// <summary>
/// One <c>/sys/class/video4linux/videoN</c> entry. <see cref="Problem"/> says what was missing or malformed
/// (the camera then becomes ERROR with that reason instead of taking the service down). <see cref="UsbDeviceDir"/> is the
/// USB device's sysfs directory (where its microphone's sound card is found).
/// </summary>
internal sealed record UsbNode(
    string Name,
    string DevicePath,
    string? Label,
    int? Index,
    UsbDeviceInfo? Device,
    string? UsbSysName,
    string? Problem,
    string? UsbDeviceDir = null)
{
    /// <summary>
    /// The path clients know the node by (<c>/dev/videoN</c>, the alias <see cref="CameraRegistry.TryGet"/> accepts),
    /// whatever <c>dev_root</c> the service reads devices from.
    /// </summary>
    public string ClientPath => "/dev/" + Name;

    /// <summary>The node number N of videoN (used to keep listings in kernel order).</summary>
    public int Number => int.TryParse(Name.AsSpan(5), out var n) ? n : int.MaxValue;
}

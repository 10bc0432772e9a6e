namespace VideoSensor.Cameras.Usb;

/// <summary>
/// The stable key of a physical camera: VID:PID + serial, or VID:PID + USB port path (busnum-devpath)
/// when it has no serial, so <c>/dev/videoN</c> renumbering never changes who a camera is.
/// </summary>
internal static class UsbIdentity
{
    public static string KeyOf(UsbNode node) => node.Device switch
    {
        { Serial: { } serial } d => $"{d.VidPid}/serial:{serial}",
        { BusNumber: { } bus, PortPath: { } port } d => $"{d.VidPid}/port:{bus}-{port}",
        { } d => $"{d.VidPid}/sysfs:{node.UsbSysName ?? node.Name}",

        // Unreadable ids: keyed by where it sits, so the ERROR camera at least keeps one id while it is there.
        null => $"unidentified/sysfs:{node.UsbSysName ?? node.Name}",
    };
}

using System.Globalization;
using VideoSensor.Cameras.Usb.Hotplug;

namespace VideoSensor.Tests.Cameras.Usb;

/// <summary>Service config and uevents for hot-plug tests and the usb-hotplug benchmark.</summary>
internal static class HotplugFixture
{
    public static string Config(SysfsTree tree, string assigned = "046d:0825", int debounceMs = 0) => $"""
        cameras:
          usb:
            sysfs_root: {tree.SysfsRoot}
            dev_root: {tree.DevRoot}
            assigned:
              - "{assigned}"
            hotplug_debounce_ms: {debounceMs}
            rescan_interval_seconds: 3600
        """;

    /// <summary>What the kernel broadcasts for a video node (same keys and order as kobject_uevent).</summary>
    public static byte[] KernelUevent(string action, string node, int seq) => UeventParser.FormatKernel(
        action, $"/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/video4linux/{node}",
        [new("SUBSYSTEM", "video4linux"), new("MAJOR", "81"), new("MINOR", node[5..]), new("DEVNAME", node), new("SEQNUM", seq.ToString(CultureInfo.InvariantCulture))]);
}

using System.Text;
using VideoSensor.Cameras.Usb.Hotplug;

namespace VideoSensor.Tests.Cameras.Usb;

public sealed class UeventParserTests
{
    [Fact]
    public void Kernel_format_is_parsed()
    {
        var bytes = Encoding.ASCII.GetBytes("add@/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/video4linux/video3\0ACTION=add\0DEVPATH=/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/video4linux/video3\0SUBSYSTEM=video4linux\0DEVNAME=video3\0SEQNUM=4711\0MAJOR=81\0MINOR=3\0");

        var uevent = UeventParser.Parse(bytes);

        Assert.NotNull(uevent);
        Assert.Equal((UeventSource.Kernel, "add", "video4linux", "video3", "video3"), (uevent.Source, uevent.Action, uevent.Subsystem, uevent.DevName, uevent.NodeName));
        Assert.Equal("4711", uevent.Properties["SEQNUM"]);
    }

    [Fact]
    public void Libudev_format_is_parsed_from_its_header_offsets()
    {
        var bytes = UeventParser.FormatUdev([new("ACTION", "remove"), new("DEVPATH", "/devices/x/video4linux/video7"), new("SUBSYSTEM", "video4linux"), new("DEVNAME", "/dev/video7"), new("ID_SERIAL", "Logitech_C270_AB12")]);

        Assert.Equal("libudev\0"u8.ToArray(), bytes[..8]);
        Assert.Equal(new byte[] { 0xfe, 0xed, 0xca, 0xfe }, bytes[8..12]);
        var uevent = UeventParser.Parse(bytes);

        Assert.NotNull(uevent);
        Assert.Equal((UeventSource.Udev, "remove", "video7", "Logitech_C270_AB12"), (uevent.Source, uevent.Action, uevent.NodeName, uevent.Properties["ID_SERIAL"]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("no at sign\0ACTION=add\0SUBSYSTEM=video4linux\0")]
    [InlineData("add@/devices/x\0SUBSYSTEM=video4linux\0")]
    [InlineData("libudev\0short")]
    public void Garbage_is_ignored(string text) => Assert.Null(UeventParser.Parse(Encoding.Latin1.GetBytes(text)));

    [Fact]
    public void Libudev_header_pointing_outside_the_message_is_ignored()
    {
        var bytes = UeventParser.FormatUdev([new("ACTION", "add"), new("SUBSYSTEM", "video4linux")]);
        bytes[20] = 0xff;
        Assert.Null(UeventParser.Parse(bytes));
    }

    [Fact]
    public void Only_kernel_or_multicast_senders_are_trusted()
    {
        Assert.True(UeventListener.Trusted(new NetlinkAddress(0, 0)));
        Assert.True(UeventListener.Trusted(new NetlinkAddress(1234, 1)));
        Assert.False(UeventListener.Trusted(new NetlinkAddress(1234, 0)));
    }
}

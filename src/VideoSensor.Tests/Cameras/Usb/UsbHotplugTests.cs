using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Cameras.Usb;
using VideoSensor.Cameras.Usb.Hotplug;
using VideoSensor.Cameras.Usb.V4l2;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Cameras.Usb;

/// <summary>
/// Hot-plug end to end: a kernel-format uevent sent over a real NETLINK_KOBJECT_UEVENT socket to multicast
/// group 1 (allowed for root: CAP_NET_ADMIN) reaches the service's listener, and the notification arrives
/// on a real WebSocket client.
/// </summary>
public sealed class UsbHotplugTests
{
    [Fact]
    public async Task Real_netlink_uevents_connect_and_disconnect_a_camera_for_websocket_clients()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Skip("sending to the uevent multicast group needs CAP_NET_ADMIN (run as root)");
        }

        var ct = TestContext.Current.CancellationToken;
        using var tree = new SysfsTree();
        var v4l2 = new FakeV4l2Opener();
        await using var service = await TestService.StartAsync(HotplugFixture.Config(tree), s => s.AddSingleton<IV4l2DeviceOpener>(v4l2), cancellationToken: ct);
        Assert.True(service.Services.GetRequiredService<UsbCameraWatcher>().Listening);
        await using var client = await service.ConnectAsync("viewer", ct);
        (await client.CallAsync("subscribe_events", new { topics = new[] { "camera.connected", "camera.disconnected" } }, ct)).EnsureSuccess();
        using var sender = NetlinkUeventSocket.Open(0);

        // Plug in: the device appears in sysfs, then the kernel announces it.
        v4l2.Set(tree.AddNode("video7", "1-2", serial: "HOT1", name: "Hot camera"), FakeNode.Camera("YUYV", "MJPG"));
        sender.Send(HotplugFixture.KernelUevent("add", "video7", 1), NetlinkAddress.Mask(NetlinkAddress.KernelGroup));

        var status = await client.NextNotificationAsync("camera_status_update", TimeSpan.FromSeconds(10), p => Device(p) == "camera0");
        Assert.Equal(("CONNECTED", "Hot camera", "1280x720", 15), (Str(status, "status"), Str(status, "name"), Str(status, "resolution"), status.GetProperty("fps").GetInt32()));
        var connected = await client.NextNotificationAsync("camera.connected", TimeSpan.FromSeconds(5), p => Device(p) == "camera0");
        Assert.Equal("usb", Str(connected, "kind"));

        // The /dev alias and the probed capabilities, through the API.
        var caps = (await client.CallAsync("get_camera_capabilities", new { device = "/dev/video7" }, ct)).EnsureSuccess().Result;
        Assert.Equal("camera0", Str(caps, "device"));
        Assert.Equal(["yuyv422", "mjpeg"], caps.GetProperty("formats").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["1920x1080", "1280x720", "640x480"], caps.GetProperty("resolutions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([30, 15, 5], caps.GetProperty("fps_options").EnumerateArray().Select(e => e.GetInt32()));

        // Unplug: sysfs entry gone, kernel says remove.
        tree.RemoveNode("video7");
        sender.Send(HotplugFixture.KernelUevent("remove", "video7", 2), NetlinkAddress.Mask(NetlinkAddress.KernelGroup));
        var gone = await client.NextNotificationAsync("camera.disconnected", TimeSpan.FromSeconds(10), p => Device(p) == "camera0");
        Assert.Equal(("DISCONNECTED", "CONNECTED"), (Str(gone, "status"), Str(gone, "previous_status")));

        // Re-plugged as video9 and announced by udevd (libudev format, group 2): same camera, same id.
        v4l2.Set(tree.AddNode("video9", "1-3", serial: "HOT1", name: "Hot camera"), FakeNode.Camera("MJPG"));
        sender.Send(UeventParser.FormatUdev([new("ACTION", "add"), new("DEVPATH", "/devices/x/video4linux/video9"), new("SUBSYSTEM", "video4linux"), new("DEVNAME", "/dev/video9")]),
            NetlinkAddress.Mask(NetlinkAddress.UdevGroup));
        var back = await client.NextNotificationAsync("camera.connected", TimeSpan.FromSeconds(10), p => Device(p) == "camera0");
        Assert.Equal("CONNECTED", Str(back, "status"));
        var list = (await client.CallAsync("get_camera_list", cancellationToken: ct)).EnsureSuccess().Result;
        Assert.Single(list.GetProperty("cameras").EnumerateArray(), c => Str(c, "kind") == "usb");
    }

    [Fact]
    public async Task Unicast_uevents_from_an_ordinary_process_are_not_trusted()
    {
        using var tree = new SysfsTree();
        var v4l2 = new FakeV4l2Opener();
        await using var service = await TestService.StartAsync(HotplugFixture.Config(tree, "*"), s => s.AddSingleton<IV4l2DeviceOpener>(v4l2), cancellationToken: TestContext.Current.CancellationToken);
        await using var client = await service.ConnectAsync("viewer", TestContext.Current.CancellationToken);
        var watcher = service.Services.GetRequiredService<UsbCameraWatcher>();
        Assert.True(watcher.Listening);

        // A listener of our own, to learn that a unicast datagram really is delivered to a uevent socket.
        using var probe = NetlinkUeventSocket.Open(0);
        using var sender = NetlinkUeventSocket.Open(0);
        v4l2.Set(tree.AddNode("video5", "1-2", serial: "UNI1"), FakeNode.Camera("MJPG"));
        sender.Send(HotplugFixture.KernelUevent("add", "video5", 1), 0, probe.PortId);
        var buffer = new byte[4096];
        Assert.True(probe.Receive(buffer, out var from) > 0);
        Assert.False(UeventListener.Trusted(from));

        // The rescan still finds the camera (the repair path for anything missed).
        await watcher.RescanAsync(TestContext.Current.CancellationToken);
        var status = await client.NextNotificationAsync("camera_status_update", TimeSpan.FromSeconds(10), p => Device(p) == "camera0");
        Assert.Equal("CONNECTED", Str(status, "status"));
    }

    private static string? Device(JsonElement p) => p.TryGetProperty("device", out var d) ? d.GetString() : null;

    private static string? Str(JsonElement e, string name) => e.GetProperty(name).GetString();
}

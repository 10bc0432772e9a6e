using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Usb;
using VideoSensor.Cameras.Usb.V4l2;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Cameras.Usb;

/// <summary>Discovery on sysfs trees laid out like real ones, with V4L2 answers in kernel struct layout.</summary>
public sealed class UsbInventoryTests : IDisposable
{
    private readonly SysfsTree _tree = new();
    private readonly TempDirectory _state = new("usbstate");
    private readonly FakeV4l2Opener _v4l2 = new();
    private readonly CameraRegistry _registry = new();
    private readonly List<CameraChange> _changes = [];

    public UsbInventoryTests() => _registry.Changed += _changes.Add;

    private UsbInventory Create(params string[] assigned) => Create(_v4l2, assigned);

    private UsbInventory Create(IV4l2DeviceOpener opener, params string[] assigned) => new(
        _registry, new SysfsReader(_tree.SysfsRoot, _tree.DevRoot), opener, new UsbAssignment(assigned, null),
        new UsbIdentityStore(_state.Path), new Resolution(1280, 720), 15, NullLogger.Instance);

    private Camera Get(string id) => _registry.TryGet(id, out var c) ? c : throw new Xunit.Sdk.XunitException($"no camera {id}: {string.Join(", ", _registry.List().Select(x => x.Id))}");

    [Fact]
    public void Two_cameras_a_metadata_node_an_unassigned_one_and_one_without_serial()
    {
        _v4l2.Set(_tree.AddNode("video0", "1-2", serial: "AAA111", name: "C270"), FakeNode.Camera("YUYV", "MJPG"));
        _v4l2.Set(_tree.AddNode("video1", "1-2", serial: "AAA111", name: "C270", index: 1), FakeNode.MetadataNode);
        _v4l2.Set(_tree.AddNode("video2", "1-3", vid: "1bcf", pid: "2c99", serial: null, busnum: "1", name: "No serial cam"), FakeNode.Camera("YUYV"));
        _v4l2.Set(_tree.AddNode("video3", "1-3", vid: "1bcf", pid: "2c99", serial: null, busnum: "1", index: 1), FakeNode.MetadataNode);
        _v4l2.Set(_tree.AddNode("video4", "2-1", vid: "0c45", pid: "6366", serial: "NOTMINE", busnum: "2"), FakeNode.Camera("MJPG"));

        var inventory = Create("046d:0825", "1BCF:2C99");
        inventory.Rescan();

        Assert.Equal(["camera0", "camera1"], _registry.List().Select(c => c.Id));
        var c270 = Get("camera0");
        Assert.Equal((CameraStatus.Connected, "C270", "/dev/video0"), (c270.Status, c270.Name, c270.DevicePath));
        Assert.Equal(new UsbSource(Path.Combine(_tree.DevRoot, "video0"), "mjpeg", new Resolution(1280, 720), 15), c270.Source);
        Assert.Equal(["yuyv422", "mjpeg"], c270.Capabilities.Formats);
        Assert.Equal([new Resolution(1920, 1080), new Resolution(1280, 720), new Resolution(640, 480)], c270.Capabilities.Resolutions);
        Assert.Equal([30, 15, 5], c270.Capabilities.FrameRates);

        var noSerial = Get("camera1");
        Assert.Equal((CameraStatus.Connected, "yuyv422"), (noSerial.Status, ((UsbSource)noSerial.Source).InputFormat));

        // Identity keys: serial for one, port path (busnum-devpath) for the one without.
        var saved = JsonDocument.Parse(File.ReadAllText(Path.Combine(_state.Path, UsbIdentityStore.FileName))).RootElement.GetProperty("cameras");
        Assert.Equal(
            [("046d:0825/serial:AAA111", "camera0"), ("1bcf:2c99/port:1-3", "camera1")],
            saved.EnumerateArray().Select(e => (e.GetProperty("key").GetString(), e.GetProperty("id").GetString())));
        Assert.Equal(2, _changes.Count(c => c.Kind == CameraChangeKind.Connected));

        // Nothing changed: a rescan publishes nothing.
        _changes.Clear();
        inventory.Rescan();
        Assert.Empty(_changes);
    }

    [Fact]
    public void Renumbered_node_keeps_its_id_and_the_dev_alias_follows_it_across_restarts()
    {
        _v4l2.Set(_tree.AddNode("video0", "1-2", serial: "S-42"), FakeNode.Camera("MJPG"));
        _v4l2.Set(_tree.AddNode("video2", "1-4", serial: "OTHER"), FakeNode.Camera("MJPG"));
        var inventory = Create("*");
        inventory.Rescan();
        Assert.Equal("/dev/video0", Get("camera0").DevicePath);

        // Unplug and re-plug on another port: the kernel hands out video4 this time.
        _tree.RemoveNode("video0");
        inventory.Forget("video0");
        Assert.Equal(CameraStatus.Disconnected, Get("camera0").Status);
        _v4l2.Set(_tree.AddNode("video4", "1-5", serial: "S-42"), FakeNode.Camera("MJPG"));
        inventory.Refresh("video4");

        var moved = Get("camera0");
        Assert.Equal((CameraStatus.Connected, "/dev/video4"), (moved.Status, moved.DevicePath));
        Assert.Equal(Path.Combine(_tree.DevRoot, "video4"), ((UsbSource)moved.Source).DevicePath);
        Assert.True(_registry.TryGet("/dev/video4", out var byAlias));
        Assert.Equal("camera0", byAlias.Id);
        Assert.False(_registry.TryGet("/dev/video0", out _));

        // A restarted service (new registry, new store from the saved file) gives the same ids.
        var registry = new CameraRegistry();
        new UsbInventory(registry, new SysfsReader(_tree.SysfsRoot, _tree.DevRoot), _v4l2, new UsbAssignment(["*"], null),
            new UsbIdentityStore(_state.Path), new Resolution(1280, 720), 15, NullLogger.Instance).Rescan();
        Assert.Equal(["camera0", "camera1"], registry.List().Select(c => c.Id));
        Assert.True(registry.TryGet("camera0", out var restarted));
        Assert.Equal("/dev/video4", restarted.DevicePath);
    }

    [Fact]
    public void Rescan_disconnects_a_camera_whose_node_vanished_without_a_uevent()
    {
        _v4l2.Set(_tree.AddNode("video0", "1-2"), FakeNode.Camera("YUYV"));
        var inventory = Create("*");
        inventory.Rescan();
        _tree.RemoveNode("video0");

        inventory.Rescan();

        var camera = Get("camera0");
        Assert.Equal((CameraStatus.Disconnected, "unplugged"), (camera.Status, camera.StatusReason));
        Assert.Equal(CameraChangeKind.Disconnected, _changes[^1].Kind);
    }

    [Fact]
    public void Malformed_attributes_make_error_cameras_with_reasons_and_do_not_stop_the_others()
    {
        _v4l2.Set(_tree.AddNode("video0", "1-1", vid: "zz!z", pid: "0825"), FakeNode.Camera("MJPG"));
        _v4l2.Set(_tree.AddNode("video2", "1-2", serial: null, busnum: "bus?", devpath: "x.y"), FakeNode.Camera("MJPG"));
        _v4l2.Set(_tree.AddNode("video4", "1-3", serial: "GOOD1", name: null), FakeNode.Camera("MJPG"));
        _tree.WriteBytes("video4", "product", [0xff, 0xfe, 0x00, 0x01]);
        _tree.WriteBytes("video4", "index", [0xc3, 0x28], onUsbDevice: false);
        _v4l2.Set(_tree.AddNode("video6", "1-4", serial: "BUSY1"), FakeNode.Camera("MJPG") with { OpenErrno = 16 });
        _v4l2.Set(_tree.AddNode("video8", "1-6", serial: "NOFMT"), new FakeNode(FakeNode.Capture, [("Y16 ", [(640, 480, new[] { 30 })])]));
        _tree.AddNode("video9", "1-7", vid: null, pid: null);

        var inventory = Create("*");
        inventory.Rescan();

        var byNode = _registry.List().ToDictionary(c => Path.GetFileName(c.DevicePath!));
        Assert.Equal(CameraStatus.Error, byNode["video0"].Status);
        Assert.Contains("idVendor 'zz!z'", byNode["video0"].StatusReason, StringComparison.Ordinal);
        Assert.Equal(CameraStatus.Error, byNode["video2"].Status);
        Assert.Contains("no serial and no valid USB port path", byNode["video2"].StatusReason, StringComparison.Ordinal);
        Assert.Equal(CameraStatus.Connected, byNode["video4"].Status); // garbage display strings are not fatal
        Assert.Equal("Fake Camera", byNode["video4"].Name);
        Assert.Equal(CameraStatus.Error, byNode["video6"].Status);
        Assert.Contains("EBUSY", byNode["video6"].StatusReason, StringComparison.Ordinal);
        Assert.Equal(CameraStatus.Error, byNode["video8"].Status);
        Assert.Contains("offers: Y16", byNode["video8"].StatusReason, StringComparison.Ordinal);
        Assert.Equal(CameraStatus.Error, byNode["video9"].Status);
        Assert.Contains("no USB parent with idVendor", byNode["video9"].StatusReason, StringComparison.Ordinal);
        Assert.Equal(6, byNode.Values.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public void A_file_that_is_not_a_v4l2_device_fails_the_real_ioctl_with_enotty()
    {
        var path = _tree.AddNode("video0", "1-2");
        var inventory = Create(new LinuxV4l2DeviceOpener(), "*");

        inventory.Rescan();

        var camera = Get("camera0");
        Assert.Equal(CameraStatus.Error, camera.Status);
        Assert.Equal($"VIDIOC_QUERYCAP on {path} failed: ENOTTY (not a V4L2 device)", camera.StatusReason);
    }

    [Fact]
    public void A_node_without_a_dev_entry_fails_to_open_with_enoent()
    {
        var path = _tree.AddNode("video0", "1-2");
        File.Delete(path);
        var inventory = Create(new LinuxV4l2DeviceOpener(), "*");

        inventory.Rescan();

        Assert.Equal($"open on {path} failed: ENOENT (no such device node)", Get("camera0").StatusReason);
    }

    [Fact]
    public void Unassigned_cameras_are_ignored_and_nothing_is_claimed_by_default()
    {
        _v4l2.Set(_tree.AddNode("video0", "1-2"), FakeNode.Camera("MJPG"));
        Create().Rescan();
        Create("0c45:6366").Rescan();
        Assert.Empty(_registry.List());
        Assert.False(File.Exists(Path.Combine(_state.Path, UsbIdentityStore.FileName)));
    }

    public void Dispose()
    {
        _tree.Dispose();
        _state.Dispose();
    }
}

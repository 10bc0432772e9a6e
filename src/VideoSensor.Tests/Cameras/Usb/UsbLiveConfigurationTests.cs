using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Usb.V4l2;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Platform;

namespace VideoSensor.Tests.Cameras.Usb;

/// <summary><c>cameras.usb.rescan_interval_seconds</c> from the Dapr configuration store reaches the running rescan timer.</summary>
public sealed class UsbLiveConfigurationTests
{
    [Fact]
    public async Task A_shorter_rescan_interval_from_the_configuration_store_finds_a_camera_without_a_restart()
    {
        var ct = DaprTestSetup.Timeout(60);
        using var tree = new SysfsTree();
        var opener = new FakeV4l2Opener();
        await using var sidecar = await FakeDaprSidecar.StartAsync();
        sidecar.State.ConfigurationStore("configstore");

        // No uevents (hotplug off) and an hour between rescans: only the periodic rescan can find a new camera.
        var usb = $"cameras:\n  usb:\n    sysfs_root: {tree.SysfsRoot}\n    dev_root: {tree.DevRoot}\n    assigned: ['*']\n    hotplug: false\n    rescan_interval_seconds: 3600\n";
        await using var service = await TestService.StartAsync(DaprTestSetup.DaprYaml(sidecar, usb), s => s.AddSingleton<IV4l2DeviceOpener>(opener), cancellationToken: ct);
        await LiveConfigurationTests.WaitForSubscriptionAsync(sidecar, ct);
        var registry = service.Services.GetRequiredService<CameraRegistry>();
        Assert.DoesNotContain(registry.List(), c => c.Source is UsbSource);
        opener.Set(tree.AddNode("video0", "1-2", serial: "LIVE1", name: "C270"), FakeNode.Camera("MJPG"));

        sidecar.State.SetConfiguration("configstore", "cameras.usb.rescan_interval_seconds", "1");
        await Until.TrueAsync(() => registry.List().Any(c => c.Source is UsbSource), "the rescan found the new camera", ct);

        var camera = registry.List().Single(c => c.Source is UsbSource);
        Assert.Equal((CameraStatus.Connected, "C270"), (camera.Status, camera.Name));
    }
}

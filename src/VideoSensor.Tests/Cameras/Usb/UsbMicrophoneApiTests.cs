using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Cameras.Usb.V4l2;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Cameras.Usb;

/// <summary>
/// A USB camera's microphone as a client sees it: <c>get_camera_capabilities</c> of the running service reports
/// <c>audio: {channels, rates, card}</c> for the camera whose USB device has a capture card (from the sysfs and
/// <c>/proc/asound</c> trees the service is pointed at), and no <c>audio</c> for the camera without one.
/// </summary>
public sealed class UsbMicrophoneApiTests
{
    [Fact]
    public async Task Capabilities_report_the_microphone_of_the_camera_that_has_one_and_none_for_the_other()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tree = new SysfsTree();
        var v4l2 = new FakeV4l2Opener();
        v4l2.Set(tree.AddNode("video0", "1-2", serial: "MIC1"), FakeNode.Camera("MJPG"));
        tree.AddSoundCard("1-2", card: 1, id: "C270", UsbMicrophoneTests.C270Stream);
        v4l2.Set(tree.AddNode("video2", "1-4", serial: "NOMIC"), FakeNode.Camera("MJPG"));
        var config = HotplugFixture.Config(tree, "*").Replace("    dev_root:", $"    proc_root: {tree.ProcRoot}\n    dev_root:", StringComparison.Ordinal);
        await using var service = await TestService.StartAsync(config, s => s.AddSingleton<IV4l2DeviceOpener>(v4l2), cancellationToken: ct);
        await using var client = await service.ConnectAsync("viewer", ct);

        var withMic = (await client.CallAsync("get_camera_capabilities", new { device = "/dev/video0" }, ct)).EnsureSuccess().Result;
        var without = (await client.CallAsync("get_camera_capabilities", new { device = "/dev/video2" }, ct)).EnsureSuccess().Result;

        var audio = withMic.GetProperty("audio");
        Assert.Equal(("[1]", "[16000]", "C270"), (audio.GetProperty("channels").GetRawText(), audio.GetProperty("rates").GetRawText(), audio.GetProperty("card").GetString()));
        Assert.True(!without.TryGetProperty("audio", out var none) || none.ValueKind == JsonValueKind.Null, $"camera without a microphone reports audio {none}");
    }
}

using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Usb.Controls;
using VideoSensor.Cameras.Usb.V4l2;
using VideoSensor.Tests.Cameras.Usb.Controls;
using VideoSensor.Tests.Console.Browser;
using VideoSensor.Tests.Fixtures;
using static VideoSensor.Cameras.Usb.Controls.V4l2ControlAbi;

namespace VideoSensor.Tests.Console;

/// <summary>
/// A USB camera's controls in the page, for operators only, against the real service and the simulated UVC
/// control device of the control tests (no machine here has a video device): a slider moved in the page sets
/// the camera's value through set_camera_control.
/// </summary>
public sealed class ConsoleControlsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);
    private const string DevicePath = "/dev/video7";

    [Fact]
    public async Task An_operator_moves_a_control_in_the_page_and_the_camera_takes_the_value()
    {
        var ct = TestContext.Current.CancellationToken;
        var device = FakeControlDevice.Webcam();
        await using var service = await TestService.StartAsync(configureServices: s => s.AddSingleton<IV4l2DeviceOpener>(device), cancellationToken: ct);
        service.Services.GetRequiredService<CameraRegistry>().Upsert(new Camera(
            "camera0", CameraKind.Usb, "HD Webcam", CameraStatus.Connected, new Resolution(640, 480), 30,
            new UsbSource(DevicePath, "mjpeg", new Resolution(640, 480), 30), CameraCapabilities.Unknown, null, DevicePath));
        await using var browser = await Chromium.LaunchAsync(ct);

        // A viewer gets no controls.
        var viewer = await ConsoleFixture.SignInAsync(browser, service, await service.TokenAsync("viewer"));
        await viewer.WaitForAsync("document.querySelector('.tile[data-device=camera0]')", Wait);
        Assert.Equal(0, await viewer.CountAsync(".tile [data-action=controls]"));

        var page = await ConsoleFixture.SignInAsync(browser, service, await service.TokenAsync("operator"), Chromium.Phone);
        await page.ClickAsync(".tile[data-device=camera0] [data-action=controls]");
        await page.WaitForAsync("document.querySelector('.tile[data-device=camera0] .ctl-row[data-name=brightness] input')", Wait);
        Assert.Equal("0", await page.TextAsync(".ctl-row[data-name=brightness] output"));
        // Inactive while automatic white balance is on: shown, but disabled with the reason.
        Assert.True((await page.EvaluateAsync("document.querySelector('.ctl-row[data-name=white_balance_temperature] input').disabled")).GetBoolean());
        Assert.Contains("inactive", await page.TextAsync(".ctl-row[data-name=white_balance_temperature] label"), StringComparison.Ordinal);

        await page.Page.Locator(".ctl-row[data-name=brightness] input").FillAsync("20");
        await UntilAsync(() => device.Value(CidBrightness) == 20);
        // The panel shows what the camera read back.
        await page.WaitForAsync("document.querySelector('.ctl-row[data-name=brightness] output')?.textContent === '20' && document.querySelector('.ctl-row[data-name=brightness] input').value === '20'", Wait);
        Assert.Equal(20, device.Value(CidBrightness));

        // Turning automatic white balance off makes the temperature adjustable (the panel reads the controls again).
        await page.Page.Locator(".ctl-row[data-name=white_balance_automatic] input").UncheckAsync();
        await page.WaitForAsync("document.querySelector('.ctl-row[data-name=white_balance_temperature] input')?.disabled === false", Wait);
        await UntilAsync(() => device.Value(CidAutoWhiteBalance) == 0);
        Assert.Equal(0, (await page.OverflowAsync()).GetProperty("over").GetInt32());
        var findings = new List<string>();
        await ConsolePagesTests.CheckAsync(page, "camera-controls", "operator", findings);
        Assert.True(findings.Count == 0, string.Join('\n', findings));
        // The simulated camera gives no picture: its preview answers an error, which the browser logs; nothing else.
        Assert.True(!page.Errors.Any(e => !e.Contains("preview.jpg", StringComparison.Ordinal) && !e.Contains("status of 5", StringComparison.Ordinal)), string.Join("\n", page.Errors));
        Assert.DoesNotContain(page.Errors, e => !e.Contains("preview.jpg", StringComparison.Ordinal) && !e.Contains("status of 5", StringComparison.Ordinal));
    }

    /// <summary>Waits for the simulated device to reach a state (the page sends the change asynchronously).</summary>
    private static async Task UntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "the camera never took the value set in the page");
            await Task.Delay(50);
        }
    }
}

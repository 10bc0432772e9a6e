using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Usb.Controls;
using VideoSensor.Cameras.Usb.V4l2;
using VideoSensor.Tests.Fixtures;
using static VideoSensor.Cameras.Usb.Controls.V4l2ControlAbi;

namespace VideoSensor.Tests.Cameras.Usb.Controls;

/// <summary>
/// get_camera_controls / set_camera_control over a real WebSocket, against a simulated UVC camera that answers the
/// control ioctls with kernel-layout bytes (no machine here has a video device).
/// </summary>
public sealed class CameraControlTests
{
    private const string DevicePath = "/dev/video7";

    private static Camera UsbCamera(CameraStatus status = CameraStatus.Connected) => new(
        "camera0", CameraKind.Usb, "HD Webcam", status, new Resolution(640, 480), 30,
        new UsbSource(DevicePath, "mjpeg", new Resolution(640, 480), 30), CameraCapabilities.Unknown, null, DevicePath);

    private static async Task<TestService> StartAsync(FakeControlDevice device, TempDirectory? root = null)
    {
        var service = await TestService.StartAsync(configureServices: s => s.AddSingleton<IV4l2DeviceOpener>(device), root: root,
            cancellationToken: TestContext.Current.CancellationToken);
        service.Services.GetRequiredService<CameraRegistry>().Upsert(UsbCamera());
        return service;
    }

    private static JsonElement Control(JsonElement list, string name) =>
        list.GetProperty("controls").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    [Fact]
    public async Task Controls_are_listed_with_range_step_default_value_menu_and_flags()
    {
        var ct = TestContext.Current.CancellationToken;
        var device = FakeControlDevice.Webcam();
        await using var service = await StartAsync(device);
        await using var client = await service.ConnectAsync("viewer", ct);

        var list = (await client.CallAsync("get_camera_controls", new { device = "camera0" }, ct)).EnsureSuccess().Result;
        var byPath = (await client.CallAsync("get_camera_controls", new { device = DevicePath }, ct)).EnsureSuccess().Result;

        var names = list.GetProperty("controls").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Equal(["brightness", "contrast", "white_balance_automatic", "gain", "power_line_frequency", "white_balance_temperature",
            "auto_exposure", "exposure_time_absolute", "privacy"], names);
        Assert.Equal(names.Count, list.GetProperty("total").GetInt32());
        var contrast = Control(list, "contrast");
        Assert.Equal((CidContrast, "integer", 0L, 100L, 5L, 50L, 50L), (contrast.GetProperty("id").GetUInt32(), contrast.GetProperty("type").GetString(),
            contrast.GetProperty("min").GetInt64(), contrast.GetProperty("max").GetInt64(), contrast.GetProperty("step").GetInt64(),
            contrast.GetProperty("default").GetInt64(), contrast.GetProperty("value").GetInt64()));
        var exposureAuto = Control(list, "auto_exposure");
        Assert.Equal([(1L, "Manual Mode"), (3L, "Aperture Priority Mode")],
            exposureAuto.GetProperty("menu").EnumerateArray().Select(m => (m.GetProperty("index").GetInt64(), m.GetProperty("name").GetString())));
        var exposure = Control(list, "exposure_time_absolute");
        Assert.True(exposure.GetProperty("inactive").GetBoolean());
        Assert.Contains("volatile", exposure.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.True(Control(list, "privacy").GetProperty("read_only").GetBoolean());
        Assert.Equal("Brightness", Control(list, "brightness").GetProperty("label").GetString());
        Assert.Equal(list.GetProperty("controls").GetRawText(), byPath.GetProperty("controls").GetRawText());
        Assert.All(device.OpenedPaths, p => Assert.Equal(DevicePath, p));
    }

    [Fact]
    public async Task The_classic_query_is_used_when_the_extended_one_is_missing()
    {
        var ct = TestContext.Current.CancellationToken;
        var device = FakeControlDevice.Webcam();
        device.SupportsExtendedQuery = false;
        await using var service = await StartAsync(device);
        await using var client = await service.ConnectAsync("viewer", ct);

        var list = (await client.CallAsync("get_camera_controls", new { device = "camera0" }, ct)).EnsureSuccess().Result;

        Assert.Equal(9, list.GetProperty("total").GetInt32());
        Assert.Equal(-64, Control(list, "brightness").GetProperty("min").GetInt64());
    }

    [Fact]
    public async Task A_set_is_validated_applied_read_back_and_announced()
    {
        var ct = TestContext.Current.CancellationToken;
        var device = FakeControlDevice.Webcam();
        await using var service = await StartAsync(device);
        await using var client = await service.ConnectAsync("operator", ct);
        (await client.CallAsync("subscribe_events", new { topics = new[] { "camera.status_change" } }, ct)).EnsureSuccess();

        var set = (await client.CallAsync("set_camera_control", new { device = "camera0", control = "brightness", value = -20 }, ct)).EnsureSuccess().Result;
        var evt = await client.NextNotificationAsync("camera.status_change", where: p => p.GetProperty("reason").GetString() == "control_changed");
        var byMenuName = (await client.CallAsync("set_camera_control", new { device = "camera0", control = "power_line_frequency", value = "60 Hz" }, ct)).EnsureSuccess().Result;
        var byId = (await client.CallAsync("set_camera_control", new { device = "camera0", control = CidAutoWhiteBalance, value = false }, ct)).EnsureSuccess().Result;
        var list = (await client.CallAsync("get_camera_controls", new { device = "camera0" }, ct)).EnsureSuccess().Result;

        Assert.Equal((-20L, 0L, true), (set.GetProperty("control").GetProperty("value").GetInt64(), set.GetProperty("previous").GetInt64(), set.GetProperty("applied").GetBoolean()));
        Assert.Equal(-20, device.Value(CidBrightness));
        Assert.Equal(("camera0", "brightness", -20L, 0L), (evt.GetProperty("device").GetString(), evt.GetProperty("control").GetString(), evt.GetProperty("value").GetInt64(), evt.GetProperty("previous").GetInt64()));
        // A camera_status_update like every other: the camera's status and links, not only the control.
        Assert.Equal(("CONNECTED", "usb"), (evt.GetProperty("status").GetString(), evt.GetProperty("kind").GetString()));
        Assert.EndsWith("/camera0", evt.GetProperty("streams").GetProperty("rtsp").GetString(), StringComparison.Ordinal);
        Assert.Equal(2L, byMenuName.GetProperty("control").GetProperty("value").GetInt64());
        Assert.Equal(2, device.Value(CidPowerLineFrequency));
        Assert.Equal(0L, byId.GetProperty("control").GetProperty("value").GetInt64());
        // Auto white balance off makes the temperature control active, as the driver reports.
        Assert.False(Control(list, "white_balance_temperature").GetProperty("inactive").GetBoolean());
    }

    [Theory]
    [InlineData("brightness", 65, -32602, "value")]
    [InlineData("brightness", -65, -32602, "value")]
    [InlineData("contrast", 52, -32602, "value")]
    [InlineData("power_line_frequency", 3, -32602, "value")]
    [InlineData("auto_exposure", 2, -32602, "value")]
    [InlineData("white_balance_automatic", 2, -32602, "value")]
    [InlineData("privacy", 1, -32602, "control")]
    [InlineData("exposure_time_absolute", 100, -32020, null)]
    [InlineData("no_such_control", 1, -32010, null)]
    public async Task Invalid_sets_are_refused_before_the_device_is_written(string control, int value, int code, string? param)
    {
        var ct = TestContext.Current.CancellationToken;
        var device = FakeControlDevice.Webcam();
        await using var service = await StartAsync(device);
        await using var client = await service.ConnectAsync("operator", ct);

        var response = await client.CallAsync("set_camera_control", new { device = "camera0", control, value }, ct);

        Assert.Equal(code, response.ErrorCode);
        if (param is not null)
        {
            Assert.Equal(param, response.ErrorData.GetProperty("param").GetString());
        }

        if (code == -32020)
        {
            Assert.Equal("INACTIVE", response.ErrorData.GetProperty("state").GetString());
        }

        Assert.Equal(0, device.Writes);
    }

    [Fact]
    public async Task An_inactive_control_becomes_settable_once_its_auto_mode_is_off()
    {
        var ct = TestContext.Current.CancellationToken;
        var device = FakeControlDevice.Webcam();
        await using var service = await StartAsync(device);
        await using var client = await service.ConnectAsync("operator", ct);

        (await client.CallAsync("set_camera_control", new { device = "camera0", control = "auto_exposure", value = "manual_mode" }, ct)).EnsureSuccess();
        var set = (await client.CallAsync("set_camera_control", new { device = "camera0", control = "exposure_time_absolute", value = 500 }, ct)).EnsureSuccess().Result;

        Assert.Equal(500L, set.GetProperty("control").GetProperty("value").GetInt64());
        Assert.Equal((1, 500), (device.Value(CidExposureAuto), device.Value(CidExposureAbsolute)));
    }

    [Theory]
    [InlineData("get_camera_controls", "test0")]
    [InlineData("set_camera_control", "test0")]
    public async Task Test_pattern_and_RTSP_cameras_answer_unsupported(string method, string camera)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await StartAsync(FakeControlDevice.Webcam());
        service.Services.GetRequiredService<CameraRegistry>().Upsert(new Camera("ipcam", CameraKind.Rtsp, "IP", CameraStatus.Connected, new Resolution(640, 480), 15,
            new RtspSource(new Uri("rtsp://127.0.0.1:1/x"), null, null, "tcp"), CameraCapabilities.Unknown));
        await using var client = await service.ConnectAsync("operator", ct);

        var pattern = await client.CallAsync(method, new { device = camera, control = "brightness", value = 1 }, ct);
        var rtsp = await client.CallAsync(method, new { device = "ipcam", control = "brightness", value = 1 }, ct);

        Assert.Equal((-32030, "camera_controls"), (pattern.ErrorCode, pattern.ErrorData.GetProperty("feature").GetString()));
        Assert.Equal(-32030, rtsp.ErrorCode);
    }

    [Fact]
    public async Task Bad_params_name_the_param()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await StartAsync(FakeControlDevice.Webcam());
        await using var client = await service.ConnectAsync("viewer", ct);
        await using var operatorClient = await service.ConnectAsync("operator", ct);

        var asViewer = await client.CallAsync("set_camera_control", new { device = "camera0", control = "brightness", value = 1 }, ct);
        var badValue = await operatorClient.CallAsync("set_camera_control", new { device = "camera0", control = "brightness", value = new[] { 1 } }, ct);
        var badControl = await operatorClient.CallAsync("set_camera_control", new { device = "camera0", control = true, value = 1 }, ct);
        var missing = await operatorClient.CallAsync("set_camera_control", new { device = "camera0", control = "brightness" }, ct);

        Assert.Equal(-32002, asViewer.ErrorCode);
        Assert.Equal((-32602, "value"), (badValue.ErrorCode, badValue.ErrorData.GetProperty("param").GetString()));
        Assert.Equal((-32602, "control"), (badControl.ErrorCode, badControl.ErrorData.GetProperty("param").GetString()));
        Assert.Equal((-32602, "value"), (missing.ErrorCode, missing.ErrorData.GetProperty("param").GetString()));
    }

    [Fact]
    public async Task Values_are_re_applied_after_a_re_plug_and_after_a_restart()
    {
        var ct = TestContext.Current.CancellationToken;
        var device = FakeControlDevice.Webcam();
        using var root = new TempDirectory();
        await using (var service = await StartAsync(device, root))
        {
            await using var client = await service.ConnectAsync("operator", ct);
            (await client.CallAsync("subscribe_events", new { topics = new[] { "camera.status_change" } }, ct)).EnsureSuccess();
            (await client.CallAsync("set_camera_control", new { device = "camera0", control = "auto_exposure", value = 1 }, ct)).EnsureSuccess();
            (await client.CallAsync("set_camera_control", new { device = "camera0", control = "exposure_time_absolute", value = 800 }, ct)).EnsureSuccess();
            (await client.CallAsync("set_camera_control", new { device = "camera0", control = "brightness", value = 12 }, ct)).EnsureSuccess();

            // Unplug: the camera forgets its settings; plug in again: the service puts them back, in the order they were set.
            var registry = service.Services.GetRequiredService<CameraRegistry>();
            registry.Upsert(UsbCamera(CameraStatus.Disconnected));
            device.ResetToDefaults();
            registry.Upsert(UsbCamera());
            var restored = await client.NextNotificationAsync("camera.status_change", where: p => p.GetProperty("reason").GetString() == "controls_restored");

            Assert.Equal(["auto_exposure", "exposure_time_absolute", "brightness"], restored.GetProperty("restored").EnumerateArray().Select(e => e.GetString()));
            Assert.Empty(restored.GetProperty("failed").EnumerateArray());
            Assert.Equal("CONNECTED", restored.GetProperty("status").GetString());
            Assert.Equal((1, 800, 12), (device.Value(CidExposureAuto), device.Value(CidExposureAbsolute), device.Value(CidBrightness)));
        }

        device.ResetToDefaults();
        await using (var restarted = await TestService.StartAsync(configureServices: s => s.AddSingleton<IV4l2DeviceOpener>(device), root: root, cancellationToken: ct))
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            restarted.Services.GetRequiredService<CameraControls>().Restored += id => done.TrySetResult();
            restarted.Services.GetRequiredService<CameraRegistry>().Upsert(UsbCamera());
            await done.Task.WaitAsync(TimeSpan.FromSeconds(15), ct);
            await using var client = await restarted.ConnectAsync("viewer", ct);
            var list = (await client.CallAsync("get_camera_controls", new { device = "camera0" }, ct)).EnsureSuccess().Result;

            Assert.Equal(800, Control(list, "exposure_time_absolute").GetProperty("value").GetInt64());
            Assert.Equal(12, Control(list, "brightness").GetProperty("value").GetInt64());
            Assert.True(File.Exists(Path.Combine(restarted.StorageRoot, "state", ControlSettingsStore.FileName)));
        }
    }
}

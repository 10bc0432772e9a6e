using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VideoSensor.Cameras;
using VideoSensor.Configuration.Live;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Platform;

/// <summary>Live settings from the Dapr configuration store and from the YAML file, applied without a restart.</summary>
public sealed class LiveConfigurationTests
{
    [Fact]
    public async Task Configuration_store_updates_add_change_and_remove_RTSP_feeds_live()
    {
        var ct = DaprTestSetup.Timeout(90);
        await using var camera = await RtspTestServer.StartAsync();
        await using var sidecar = await FakeDaprSidecar.StartAsync();
        sidecar.State.ConfigurationStore("configstore");
        await using var service = await TestService.StartAsync(DaprTestSetup.DaprYaml(sidecar), cancellationToken: ct);
        var registry = service.Services.GetRequiredService<CameraRegistry>();
        var cameras = service.Services.GetRequiredService<IOptionsMonitor<CamerasOptions>>();
        await WaitForSubscriptionAsync(sidecar, ct);
        Assert.False(registry.TryGet("yard", out _));

        // Add: a feed list as a YAML document under the key cameras.rtsp.
        sidecar.State.SetConfiguration("configstore", "cameras.rtsp", $"- id: yard\n  url: {camera.Url}\n  name: Yard");
        var yard = await CameraWait.UntilAsync(registry, "yard", c => c?.Status is CameraStatus.Connected or CameraStatus.Error, ct);
        Assert.Equal(CameraStatus.Connected, yard!.Status);
        Assert.Equal("Yard", yard.Name);
        Assert.Equal(320, yard.Resolution.Width is > 0 ? 320 : 0);
        Assert.Single(cameras.CurrentValue.Rtsp);

        // Change: a scalar key and a JSON document both work.
        sidecar.State.SetConfiguration("configstore", "cameras.rtsp_probe_interval_seconds", "7");
        sidecar.State.SetConfiguration("configstore", "cameras.rtsp", $$"""[{"id": "yard", "url": "{{camera.Url}}", "name": "Back yard"}]""");
        await CameraWait.UntilAsync(registry, "yard", c => c?.Name == "Back yard", ct);
        Assert.Equal(7, cameras.CurrentValue.RtspProbeIntervalSeconds);

        // Invalid: rejected as a whole, the previous feed stays and the log says why.
        sidecar.State.SetConfiguration("configstore", "cameras.rtsp", "- id: yard\n  url: http://not-rtsp/\n");
        await WaitForLogAsync(service, "rejected", ct);
        Assert.True(registry.TryGet("yard", out var kept));
        Assert.Equal("Back yard", kept.Name);

        // Remove: an empty list.
        sidecar.State.SetConfiguration("configstore", "cameras.rtsp", "[]");
        await CameraWait.UntilAsync(registry, "yard", c => c is null, ct);
        var (_, gone) = await sidecar.State.WaitForTypeAsync("io.daprcamera.camera.disconnected", ct, subject: "yard");
        Assert.Equal("yard", gone.GetProperty("data").GetProperty("device").GetString());
        Assert.Empty(cameras.CurrentValue.Rtsp);
    }

    [Fact]
    public async Task A_changed_config_file_applies_live_settings_standalone_and_names_restart_only_keys()
    {
        var ct = DaprTestSetup.Timeout(90);
        await using var camera = await RtspTestServer.StartAsync();
        using var root = new TempDirectory();
        await using var service = await TestService.StartAsync(root: root, cancellationToken: ct);
        var registry = service.Services.GetRequiredService<CameraRegistry>();
        var path = root.Combine("config.yaml");

        var changed = TestService.MergeSections(service.BaseYaml(null), $"""
            cameras:
              rtsp:
                - id: porch
                  url: {camera.Url}
            """).Replace("level: Debug", "level: Warning", StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, changed, ct);
        Camera? porch;
        try
        {
            porch = await CameraWait.UntilAsync(registry, "porch", c => c?.Status is CameraStatus.Connected or CameraStatus.Error, DaprTestSetup.Timeout(10));
        }
        catch (OperationCanceledException)
        {
            Assert.Fail(string.Join("\n", service.Logs.Lines.Where(l => !l.Contains("Microsoft", StringComparison.Ordinal))));
            throw;
        }
        Assert.Equal(CameraStatus.Connected, porch!.Status);
        await WaitForLogAsync(service, "logging.level", ct);

        await File.WriteAllTextAsync(path, service.BaseYaml(null), ct);
        await CameraWait.UntilAsync(registry, "porch", c => c is null, ct);
    }

    [Fact]
    public void Store_values_flatten_to_configuration_paths()
    {
        Assert.Equal(new Dictionary<string, string?> { ["cameras:rtsp_probe_interval_seconds"] = "12" },
            VideoSensor.Platform.Dapr.DaprConfigurationWatcher.Flatten("cameras:rtsp_probe_interval_seconds", "12"));
        var list = VideoSensor.Platform.Dapr.DaprConfigurationWatcher.Flatten("cameras:rtsp", "- id: a\n  url: rtsp://h/x\n- id: b\n  url: rtsp://h/y");
        Assert.Equal("b", list["cameras:rtsp:1:id"]);
        Assert.Equal("rtsp://h/x", list["cameras:rtsp:0:url"]);
        Assert.True(LiveKeys.IsLive("storage:retention:max_age_days"));
        Assert.False(LiveKeys.IsLive("server:port"));
        Assert.False(LiveKeys.IsLive("cameras:rtsp_other"));
        Assert.True(LiveKeys.IsLive("cameras:usb:rescan_interval_seconds"));
        Assert.True(LiveKeys.IsLive("discovery:scan_interval_seconds"));
        Assert.False(LiveKeys.IsLive("cameras:usb:hotplug"));
    }

    internal static async Task WaitForSubscriptionAsync(FakeDaprSidecar sidecar, CancellationToken ct)
    {
        while (sidecar.State.ActiveSubscriptions == 0)
        {
            // The subscription is opened by the service on its own schedule; the fake has no event for it.
            await Task.Delay(50, ct);
        }
    }

    internal static async Task WaitForLogAsync(TestService service, string text, CancellationToken ct)
    {
        while (!service.Logs.Lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            await Task.Delay(50, ct);
        }
    }
}

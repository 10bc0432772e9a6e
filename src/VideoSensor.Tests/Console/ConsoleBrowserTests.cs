using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Cameras;
using VideoSensor.Cameras.TestPattern;
using VideoSensor.Storage;
using VideoSensor.Tests.Console.Browser;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Console;

/// <summary>The console in real headless Chromium against the real service and its test-pattern camera.</summary>
public sealed class ConsoleBrowserTests : IClassFixture<ConsoleFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);
    private readonly ConsoleFixture _fixture;

    public ConsoleBrowserTests(ConsoleFixture fixture) => _fixture = fixture;

    private TestService Service => _fixture.Service;

    [Fact]
    public async Task Operator_signs_in_once_sees_the_camera_tile_and_a_snapshot_rendered()
    {
        await using var browser = await Chromium.LaunchAsync(TestContext.Current.CancellationToken);
        var page = await _fixture.SignInAsync(browser, await Service.TokenAsync("operator"));
        var camera = (await _fixture.CameraListAsync()).GetProperty("cameras").EnumerateArray().Single(c => c.GetProperty("device").GetString() == "test0");

        await page.WaitForAsync("document.querySelector('.tile[data-device=test0]')?.dataset.status === 'CONNECTED'", Wait);
        Assert.Equal(camera.GetProperty("name").GetString(), await page.TextAsync(".tile[data-device=test0] .name"));
        Assert.Equal(camera.GetProperty("resolution").GetString(), await page.TextAsync(".tile[data-device=test0] .resolution"));
        Assert.Equal(camera.GetProperty("fps").GetInt32().ToString(CultureInfo.InvariantCulture), await page.TextAsync(".tile[data-device=test0] .fps"));
        Assert.Equal(camera.GetProperty("status").GetString(), await page.TextAsync(".tile[data-device=test0] .status"));

        // No MediaMTX here: the live view falls back to snapshots that refresh, and the picture is decoded.
        var preview = await page.WaitForAsync("(() => { const i = document.querySelector('.tile[data-device=test0] .live[data-mode=snapshot] img'); return i && i.complete && i.naturalWidth > 0 ? [i.naturalWidth, i.naturalHeight] : null; })()", Wait,
            "document.querySelector('.tile[data-device=test0] .live').title + ' / ' + document.querySelector('.tile[data-device=test0] .live-label').textContent");
        Assert.True(preview[0].GetInt32() is > 0 and <= 640, $"preview width {preview[0]}");
        // Previews are grabbed in memory: refreshing them stores nothing.
        var store = Service.Services.GetRequiredService<FileStore>();
        var storedBefore = store.List(FileKind.Snapshot).Count;
        var firstSrc = (await page.EvaluateAsync("document.querySelector('.tile[data-device=test0] .live img').src")).GetString();
        await page.WaitForAsync($"(() => {{ const i = document.querySelector('.tile[data-device=test0] .live img'); return i.src !== {JsonSerializer.Serialize(firstSrc)} && i.complete && i.naturalWidth > 0; }})()", Wait);
        Assert.Equal(storedBefore, store.List(FileKind.Snapshot).Count);
        Assert.StartsWith("preview · ", await page.TextAsync(".tile[data-device=test0] .live-label"), StringComparison.Ordinal);
        // The tile says why it shows snapshots, in plain words; the data plane's own error from get_stream_url is in the tooltip.
        Assert.Equal("Live video is off: the media server (MediaMTX) is not running", await page.TextAsync(".tile[data-device=test0] .live-reason"));
        Assert.Contains("mediamtx", (await page.EvaluateAsync("document.querySelector('.tile[data-device=test0] .live').title")).GetString()!.Split('\n')[1], StringComparison.Ordinal);
        await page.ScreenshotAsync("01-cameras-operator");

        // Snapshot button: the image is shown at once, at the camera's full size, from the stored file.
        await page.ClickAsync(".tile[data-device=test0] [data-action=snapshot]");
        var size = await page.WaitForAsync("(() => { const i = document.querySelector('#viewer-image'); return i && i.complete && i.naturalWidth > 0 ? [i.naturalWidth, i.naturalHeight] : null; })()", Wait);
        var meta = await page.TextAsync("#viewer-meta");
        var fileName = meta.Split(" · ")[0];
        Assert.True(Service.Services.GetRequiredService<FileStore>().TryFind(FileKind.Snapshot, fileName, out var stored), $"snapshot '{fileName}' is not in the store");
        var probed = await Ffprobe.ProbeAsync(stored.FullPath, TestContext.Current.CancellationToken);
        Assert.Equal(probed.Width, size[0].GetInt32());
        Assert.Equal(probed.Height, size[1].GetInt32());
        Assert.Equal(camera.GetProperty("resolution").GetString(), $"{size[0].GetInt32()}x{size[1].GetInt32()}");
        await page.ScreenshotAsync("02-snapshot");
        await page.ClickAsync("#viewer-close");

        // The token was entered once: a reload signs in again from sessionStorage, without the form.
        await page.ReloadAsync();
        await page.WaitForAsync("document.body.dataset.view === 'cameras' && document.querySelector('.tile[data-device=test0]')", Wait);
        Assert.True((await page.EvaluateAsync("document.querySelector('#login').hidden")).GetBoolean());
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Operator_records_three_seconds_and_plays_the_recording_in_the_page()
    {
        if (!await _fixture.HasMethodAsync("start_recording"))
        {
            Assert.Skip("recording (start_recording, /files/recordings) has not landed on this branch yet");
        }

        await using var browser = await Chromium.LaunchAsync(TestContext.Current.CancellationToken);
        var page = await _fixture.SignInAsync(browser, await Service.TokenAsync("operator"));
        await page.WaitForAsync("document.querySelector('.tile[data-device=test0]')?.dataset.status === 'CONNECTED'", Wait);

        var clicked = System.Diagnostics.Stopwatch.StartNew();
        await page.ClickAsync(".tile[data-device=test0] [data-action=record]");
        // The timer runs and the size comes from recording.progress events (bytes on disk).
        await page.WaitForAsync("Number(document.querySelector('.tile[data-device=test0]').dataset.recordingSeconds) >= 3 && document.querySelector('.tile[data-device=test0] .rec-size').textContent !== '0 B'", Wait,
            "document.querySelector('.tile[data-device=test0] .recording').textContent");
        await page.ScreenshotAsync("03-recording");
        await page.ClickAsync(".tile[data-device=test0] [data-action=record]");
        var recordedAtMost = clicked.Elapsed.TotalSeconds;
        await page.WaitForAsync("document.querySelector('.tile[data-device=test0] .recording').hidden && !document.querySelector('.tile[data-device=test0] [data-action=record]').disabled", Wait);

        await using var client = await Service.ConnectAsync("viewer");
        var newest = (await client.CallAsync("list_recordings", new { device = "test0", limit = 1 })).EnsureSuccess().Result.GetProperty("files")[0];
        var fileName = newest.GetProperty("filename").GetString()!;
        Assert.True(Service.Services.GetRequiredService<FileStore>().TryFind(FileKind.Recording, fileName, out var stored));
        var probed = await Ffprobe.ProbeAsync(stored.FullPath, TestContext.Current.CancellationToken);

        await page.EvaluateAsync("location.hash = '#files'");
        var row = $"#file-rows tr[data-filename='{fileName}']";
        await page.WaitForAsync($"document.querySelector(\"{row}\")", Wait);
        await page.ScreenshotAsync("04-recordings");
        await page.ClickAsync($"{row} [data-action=play]");
        var state = await page.WaitForAsync("(() => { const v = document.querySelector('#viewer-video'); return v && v.readyState >= 2 && Number.isFinite(v.duration) ? { readyState: v.readyState, duration: v.duration, width: v.videoWidth, error: v.error && v.error.message } : null; })()", Wait,
            "(() => { const v = document.querySelector('#viewer-video'); return v ? { rs: v.readyState, d: v.duration, e: v.error && v.error.message } : 'no video'; })()");
        Assert.True(state.GetProperty("readyState").GetInt32() >= 2);
        var duration = state.GetProperty("duration").GetDouble();
        // At least the 3 s the timer showed, at most the time between the two clicks (a loaded machine makes that longer).
        Assert.InRange(duration, 2.5, recordedAtMost + 1.0);
        Assert.InRange(duration, probed.Duration!.Value - 0.5, probed.Duration.Value + 0.5);
        Assert.Equal(probed.Width, state.GetProperty("width").GetInt32());
        await page.ScreenshotAsync("05-playback");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task A_hot_plugged_camera_appears_without_a_reload()
    {
        await using var browser = await Chromium.LaunchAsync(TestContext.Current.CancellationToken);
        var page = await _fixture.SignInAsync(browser, await Service.TokenAsync("viewer"));
        await page.WaitForAsync("document.querySelector('.tile[data-device=test0]')", Wait);
        await page.EvaluateAsync("window.__sameDocument = true");

        var registry = Service.Services.GetRequiredService<CameraRegistry>();
        var plugged = TestPatternCameras.ToCamera(new TestPatternCameraOptions { Id = "hotplug1", Name = "Plugged in", Pattern = "smptebars", Resolution = "320x240", Fps = 10 });
        registry.Upsert(plugged);
        try
        {
            await page.WaitForAsync("document.querySelector('.tile[data-device=hotplug1]')?.dataset.status === 'CONNECTED'", Wait);
            Assert.True((await page.EvaluateAsync("window.__sameDocument === true")).GetBoolean());
            Assert.Equal(plugged.Name, await page.TextAsync(".tile[data-device=hotplug1] .name"));
            Assert.Equal(plugged.Resolution.ToString(), await page.TextAsync(".tile[data-device=hotplug1] .resolution"));

            // Unplugged: the tile says so, live.
            registry.SetStatus("hotplug1", CameraStatus.Disconnected, "unplugged by the test");
            await page.WaitForAsync("document.querySelector('.tile[data-device=hotplug1]')?.dataset.status === 'DISCONNECTED' && document.querySelector('.tile[data-device=hotplug1] .live').dataset.mode === 'offline'", Wait);
            await page.ScreenshotAsync("06-hotplug");
        }
        finally
        {
            registry.Remove("hotplug1");
        }

        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task A_viewer_gets_no_control_buttons()
    {
        await using var browser = await Chromium.LaunchAsync(TestContext.Current.CancellationToken);
        var page = await _fixture.SignInAsync(browser, ApiKeys.Viewer);
        await page.WaitForAsync("document.querySelector('.tile[data-device=test0]')", Wait);
        Assert.Equal("signed in as viewer", await page.TextAsync("#who"));
        Assert.Equal(0, await page.CountAsync("[data-control]"));
        Assert.Equal(0, await page.CountAsync(".tile [data-action=snapshot], .tile [data-action=record]"));
        Assert.Equal(await page.CountAsync(".tile"), await page.CountAsync(".tile [data-action=capabilities]"));
        // A viewer gets the live preview too (a read, like watching the stream).
        await page.WaitForAsync("(() => { const i = document.querySelector('.tile[data-device=test0] .live[data-mode=snapshot] img'); return i && i.complete && i.naturalWidth > 0; })()", Wait);

        await page.ClickAsync(".tile[data-device=test0] [data-action=capabilities]");
        await page.WaitForAsync("!document.querySelector('.tile[data-device=test0] .capabilities').hidden", Wait);
        Assert.Contains("validation:", await page.TextAsync(".tile[data-device=test0] .capabilities"), StringComparison.Ordinal);
        await page.ScreenshotAsync("07-cameras-viewer");

        // Files: view and download, but no delete; system: health from /health, no storage (admin only).
        await page.EvaluateAsync("location.hash = '#files'");
        await page.ClickAsync("#tab-snapshots");
        await page.WaitForAsync("document.querySelector('#tab-snapshots').getAttribute('aria-selected') === 'true' && document.querySelector('#page-info').textContent.includes('of')", Wait);
        Assert.Equal(0, await page.CountAsync("[data-action=delete]"));
        await page.EvaluateAsync("location.hash = '#system'");
        await page.WaitForAsync("document.querySelectorAll('#components tr').length > 0", Wait);
        Assert.True((await page.EvaluateAsync("document.querySelector('#storage-panel').hidden")).GetBoolean());
        Assert.Contains("/health", await page.TextAsync("#health-note"), StringComparison.Ordinal);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Admin_sees_component_health_storage_and_live_events()
    {
        await using var browser = await Chromium.LaunchAsync(TestContext.Current.CancellationToken);
        var page = await _fixture.SignInAsync(browser, await Service.TokenAsync("admin"));
        await page.EvaluateAsync("location.hash = '#system'");
        await using var client = await Service.ConnectAsync("admin");
        var status = (await client.CallAsync("get_status")).EnsureSuccess().Result;
        var components = status.GetProperty("component_details").EnumerateObject().ToList();
        await page.WaitForAsync($"document.querySelectorAll('#components tr').length === {components.Count}", Wait);
        foreach (var component in components)
        {
            var shown = await page.EvaluateAsync($"document.querySelector('#components tr[data-component={component.Name}]')?.dataset.status");
            Assert.Equal(component.Value.GetProperty("status").GetString(), shown.GetString());
        }

        if (await _fixture.HasMethodAsync("get_storage_info"))
        {
            var storage = (await client.CallAsync("get_storage_info")).EnsureSuccess().Result;
            await page.WaitForAsync("!document.querySelector('#storage-panel').hidden && document.querySelector('#storage-text').textContent.length > 0", Wait);
            var width = (await page.EvaluateAsync("parseFloat(document.querySelector('#storage-used').style.width)")).GetDouble();
            Assert.InRange(width, storage.GetProperty("usage_percentage").GetDouble() - 2, storage.GetProperty("usage_percentage").GetDouble() + 2);
        }

        // An event from another client shows up in the log.
        var shot = (await client.CallAsync("take_snapshot", new { device = "test0", filename = "from-another-client.jpg" })).EnsureSuccess().Result;
        var name = shot.GetProperty("filename").GetString()!;
        await page.WaitForAsync($"[...document.querySelectorAll('#event-log li[data-topic=\"snapshot.taken\"]')].some(li => li.textContent.includes({JsonSerializer.Serialize(name)}))", Wait);
        await page.ScreenshotAsync("08-system-admin");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task A_failed_action_shows_what_to_do_from_the_error_suggestion()
    {
        await using var browser = await Chromium.LaunchAsync(TestContext.Current.CancellationToken);
        var registry = Service.Services.GetRequiredService<CameraRegistry>();
        var broken = TestPatternCameras.ToCamera(new TestPatternCameraOptions { Id = "broken1", Name = "Broken", Resolution = "320x240", Fps = 5 }) with { Status = CameraStatus.Error, StatusReason = "test: no signal" };
        registry.Upsert(broken);
        try
        {
            var page = await _fixture.SignInAsync(browser, await Service.TokenAsync("operator"));
            await page.WaitForAsync("document.querySelector('.tile[data-device=broken1] [data-action=snapshot]')", Wait);
            await using var client = await Service.ConnectAsync("operator");
            var error = await client.CallAsync("take_snapshot", new { device = "broken1" });
            Assert.True(error.IsError);
            var suggestion = error.ErrorData.GetProperty("suggestion").GetString()!;

            await page.ClickAsync(".tile[data-device=broken1] [data-action=snapshot]");
            var toast = await page.WaitForAsync("document.querySelector('.toast.error .toast-suggestion')?.textContent", Wait);
            Assert.Equal($"What to do: {suggestion}", toast.GetString());
            await page.ScreenshotAsync("09-error");
        }
        finally
        {
            registry.Remove("broken1");
        }
    }
}

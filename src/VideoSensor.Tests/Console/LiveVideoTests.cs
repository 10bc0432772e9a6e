using System.Text.Json;
using Microsoft.Playwright;
using VideoSensor.Tests.Console.Browser;
using VideoSensor.Tests.Media.Real;

namespace VideoSensor.Tests.Console;

/// <summary>
/// Live video in real headless Chromium through the real MediaMTX: a WHEP reader alone wakes an idle camera,
/// and the console plays every CONNECTED camera, over WebRTC and, when WebRTC is off, over HLS with hls.js.
/// The service's public host (<c>sensor.test</c>) resolves nowhere, so the console must reach MediaMTX at
/// the host it was loaded from (127.0.0.1) for any tile to play.
/// </summary>
public sealed class LiveVideoTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    /// <summary>The machines that run these tests are shared and loaded: a tile may take longer than the default 8 s to its first frame.</summary>
    private const string Console = "console:\n  live_timeout_seconds: 30\n";

    private static string Cameras(int count) =>
        "cameras:\n  test_patterns:\n" + string.Concat(Enumerable.Range(0, count).Select(i => $"""
                - id: test{i}
                  name: Pattern {i}
                  resolution: 320x240
                  fps: 10

            """));

    [Fact]
    public async Task A_whep_reader_in_chromium_wakes_an_idle_camera_and_plays_on_its_first_try()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var plane = await RealDataPlane.StartAsync(null, ["test0"], ct);
        var before = await plane.Api.GetPathAsync("test0", ct);
        var token = await plane.Service.TokenAsync("viewer");
        await using var browser = await Chromium.LaunchAsync(ct);
        var page = await browser.NewPageAsync(ct);
        // From the console's origin, as the console reads (MediaMTX answers CORS for real origins, not about:blank's).
        await page.GotoAsync(new Uri(plane.Service.BaseUri, "/console/config.json"), ct);

        var read = await WhepReader.ReadAsync(page, plane.Whep("test0"), token, TimeSpan.FromSeconds(30));
        await WhepReader.CloseAllAsync(page);

        Assert.False(before?.IsReady ?? false, "the camera must be idle before the reader comes");
        Assert.Equal(201, read.Status);
        Assert.True(read.FirstFrameMs > 0, $"no frame within 30 s (POST answered after {read.PostMs:0} ms)");
        Assert.Equal((640, 360), (read.Width, read.Height));
        Assert.True(read.AdvancedSeconds > 0.3, $"currentTime advanced {read.AdvancedSeconds:0.00} s in one second");
    }

    [Fact]
    public async Task The_console_plays_webrtc_in_every_connected_tile_for_every_role_at_both_sizes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var plane = await RealDataPlane.StartAsync(Cameras(3) + Console, ["test0", "test1", "test2"], ct);
        await using var browser = await Chromium.LaunchAsync(ct);
        foreach (var role in (string[])["viewer", "operator", "admin"])
        {
            foreach (var size in (ViewportSize[])[Chromium.Desktop, Chromium.Phone])
            {
                var page = await ConsoleFixture.SignInAsync(browser, plane.Service, await plane.Service.TokenAsync(role), size);

                var played = await PlayingTilesAsync(page, "webrtc", 3);

                Assert.All(played.EnumerateArray(), tile => AssertPlaying(tile, 320, 240));
                // The tile names what plays: state, resolution and fps as the service reports them.
                Assert.Equal("CONNECTED", await page.TextAsync(".tile[data-device=test1] .status"));
                Assert.Equal("320x240", await page.TextAsync(".tile[data-device=test1] .resolution"));
                Assert.Equal("10", await page.TextAsync(".tile[data-device=test1] .fps"));
                Assert.Equal(0, (await page.OverflowAsync()).GetProperty("over").GetInt32());
                var findings = new List<string>();
                await ConsolePagesTests.CheckAsync(page, "live-webrtc", role, findings);
                Assert.True(findings.Count == 0, string.Join('\n', findings));
                Assert.Empty(page.Errors);
                await page.Page.Context.CloseAsync();
            }
        }
    }

    [Fact]
    public async Task The_single_camera_view_plays_larger_and_an_operator_snapshots_and_records_from_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var plane = await RealDataPlane.StartAsync(Cameras(2) + Console, ["test0", "test1"], ct);
        await using var browser = await Chromium.LaunchAsync(ct);
        var page = await ConsoleFixture.SignInAsync(browser, plane.Service, await plane.Service.TokenAsync("operator"));
        await PlayingTilesAsync(page, "webrtc", 2);
        var gridWidth = (await page.EvaluateAsync("document.querySelector('.tile[data-device=test1] video').clientWidth")).GetInt32();

        await page.ClickAsync(".tile[data-device=test1] .open-camera");
        await page.WaitForAsync("location.hash === '#camera/test1' && !document.querySelector('.tile[data-device=test0]').checkVisibility()", Wait);
        var single = await page.EvaluateAsync("""
            (async () => {
              const v = document.querySelector('.tile[data-device=test1] video');
              const at = v.currentTime;
              await new Promise((r) => setTimeout(r, 1500));
              return { width: v.clientWidth, videoWidth: v.videoWidth, advanced: v.currentTime - at };
            })()
            """);
        Assert.True(single.GetProperty("width").GetInt32() > gridWidth * 1.5, $"single view {single.GetProperty("width")} px wide, grid tile {gridWidth} px");
        Assert.Equal(320, single.GetProperty("videoWidth").GetInt32());
        Assert.True(single.GetProperty("advanced").GetDouble() > 0.5, $"currentTime advanced {single.GetProperty("advanced")} s in 1.5 s");

        await page.ClickAsync(".tile[data-device=test1] [data-action=record]");
        await page.WaitForAsync("Number(document.querySelector('.tile[data-device=test1]').dataset.recordingSeconds) >= 2", Wait,
            "document.querySelector('.tile[data-device=test1] .recording').textContent");
        Assert.Matches(@"^0:0[2-9]$", await page.TextAsync(".tile[data-device=test1] .rec-time"));
        await page.ScreenshotAsync("single-camera-recording-operator-1280x800");
        await page.ClickAsync(".tile[data-device=test1] [data-action=record]");
        await page.WaitForAsync("document.querySelector('.tile[data-device=test1] .recording').hidden", Wait);

        await page.ClickAsync(".tile[data-device=test1] [data-action=snapshot]");
        var size = await page.WaitForAsync("(() => { const i = document.querySelector('#viewer-image'); return i && i.complete && i.naturalWidth > 0 ? [i.naturalWidth, i.naturalHeight] : null; })()", Wait);
        Assert.Equal(320, size[0].GetInt32());
        await page.ClickAsync("#viewer-close");
        await page.ClickAsync("#grid-back a");
        await page.WaitForAsync("document.querySelector('.tile[data-device=test0]').checkVisibility()", Wait);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task With_webrtc_off_the_console_plays_hls_through_hls_js()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var plane = await RealDataPlane.StartAsync(Cameras(1) + Console + "  webrtc: false\n", ["test0"], ct);
        await using var browser = await Chromium.LaunchAsync(ct);
        var page = await ConsoleFixture.SignInAsync(browser, plane.Service, await plane.Service.TokenAsync("viewer"));

        var played = await PlayingTilesAsync(page, "hls", 1);

        AssertPlaying(played[0], 320, 240);
        // Chromium plays HLS only through hls.js (Media Source Extensions): the video's source is a blob: URL.
        Assert.StartsWith("blob:", played[0].GetProperty("src").GetString(), StringComparison.Ordinal);
        await page.ScreenshotAsync("11-live-hls");
        Assert.Empty(page.Errors);
    }

    /// <summary>
    /// Waits until <paramref name="count"/> tiles play in <paramref name="mode"/>, then reports each tile's video
    /// size and how far its currentTime advanced over 1.5 s.
    /// </summary>
    private static async Task<JsonElement> PlayingTilesAsync(BrowserPage page, string mode, int count)
    {
        await page.WaitForAsync(
            $"[...document.querySelectorAll('.tile[data-status=CONNECTED] .live')].filter((l) => l.dataset.mode === '{mode}' && l.querySelector('video').videoWidth > 0).length === {count}",
            Wait,
            "[...document.querySelectorAll('.tile')].map((t) => t.dataset.device + ': ' + t.querySelector('.live').dataset.mode + ' ' + t.querySelector('.live-label').textContent + ' ' + t.querySelector('.live').title).join('\\n')");
        return await page.EvaluateAsync("""
            (async () => {
              const videos = [...document.querySelectorAll('.tile .live video')];
              const at = videos.map((v) => v.currentTime);
              await new Promise((r) => setTimeout(r, 1500));
              return videos.map((v, i) => ({ width: v.videoWidth, height: v.videoHeight, advanced: v.currentTime - at[i], src: v.currentSrc || '' }));
            })()
            """);
    }

    private static void AssertPlaying(JsonElement tile, int width, int height)
    {
        Assert.Equal(width, tile.GetProperty("width").GetInt32());
        Assert.Equal(height, tile.GetProperty("height").GetInt32());
        Assert.True(tile.GetProperty("advanced").GetDouble() > 0.5, $"currentTime advanced {tile.GetProperty("advanced").GetDouble():0.00} s in 1.5 s");
    }
}

using System.Text.Json;
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
    public async Task The_console_plays_webrtc_in_every_connected_tile()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var plane = await RealDataPlane.StartAsync(Cameras(3) + Console, ["test0", "test1", "test2"], ct);
        await using var browser = await Chromium.LaunchAsync(ct);
        var page = await ConsoleFixture.SignInAsync(browser, plane.Service, await plane.Service.TokenAsync("operator"));

        var played = await PlayingTilesAsync(page, "webrtc", 3);

        Assert.All(played.EnumerateArray(), tile => AssertPlaying(tile, 320, 240));
        await page.ScreenshotAsync("10-live-webrtc");
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

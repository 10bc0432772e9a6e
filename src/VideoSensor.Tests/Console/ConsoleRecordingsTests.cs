using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Storage;
using VideoSensor.Tests.Console.Browser;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Console;

/// <summary>
/// Recordings in the page against the real service recording the test-pattern camera in 2-second segments:
/// one row per recording with a thumbnail, played in the page across a segment boundary, and a time range
/// exported as one MP4 whose duration ffprobe measures.
/// </summary>
public sealed class ConsoleRecordingsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task A_recording_plays_across_segments_in_the_page_and_a_range_exports_as_one_mp4_of_that_length()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync("recording:\n  segment_seconds: 2\n", cancellationToken: ct);
        await using (var client = await service.ConnectAsync("operator", ct))
        {
            (await client.CallAsync("start_recording", new { device = "test0" })).EnsureSuccess();
            await Task.Delay(TimeSpan.FromSeconds(8), ct);
            var stopped = (await client.CallAsync("stop_recording", new { device = "test0" })).EnsureSuccess().Result;
            Assert.True(stopped.GetProperty("files").GetArrayLength() >= 3, $"expected at least 3 segments: {stopped}");
        }

        await using var browser = await Chromium.LaunchAsync(ct);
        var page = await ConsoleFixture.SignInAsync(browser, service, await service.TokenAsync("operator"));
        await page.EvaluateAsync("location.hash = '#files'");
        var row = "#file-rows tr[data-kind=recordings]";
        var segments = (await page.WaitForAsync($"Number(document.querySelector('{row}')?.dataset.segments)", Wait)).GetInt32();
        Assert.True(segments >= 3, $"the row joins {segments} segments");
        Assert.Equal(1, await page.CountAsync(row));
        // The thumbnail is the recording's own first picture.
        await page.WaitForAsync($"document.querySelector('{row} video.thumb').videoWidth === 640", Wait);
        var findings = new List<string>();
        await ConsolePagesTests.CheckAsync(page, "recordings-segments", "operator", findings);

        // Played in the page: the first segment ends and the second one plays on in the same player.
        await page.ClickAsync($"{row} [data-action=play]");
        await page.WaitForAsync("document.querySelector('#viewer-video')?.dataset.segment === '1' && document.querySelector('#viewer-video').currentTime > 0.3", Wait,
            "(() => { const v = document.querySelector('#viewer-video'); return v ? { segment: v.dataset.segment, t: v.currentTime, rs: v.readyState, e: v.error && v.error.message } : 'no video'; })()");
        var advanced = await page.EvaluateAsync("""
            (async () => { const v = document.querySelector('#viewer-video'); const at = v.currentTime; await new Promise((r) => setTimeout(r, 700)); return v.dataset.segment !== '1' || v.currentTime > at; })()
            """);
        Assert.True(advanced.GetBoolean(), "playback stopped after the segment boundary");
        Assert.StartsWith("segment 2 of ", await page.TextAsync("#viewer-segment"), StringComparison.Ordinal);
        await page.ScreenshotAsync("recording-playback-operator-1280x800");
        await page.ClickAsync("#viewer-close");

        // Export 4 s starting 1 s into the recording, across segment boundaries, as one file.
        var first = (await page.EvaluateAsync($"document.querySelector('{row}').dataset.filename")).GetString()!;
        var start = DateTimeOffset.ParseExact(first.Split('_')[1], "yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).AddSeconds(1);
        await page.Page.SelectOptionAsync("#file-camera", "test0");
        await page.WaitForAsync($"document.querySelectorAll('{row}').length === 1", Wait);
        await page.EvaluateAsync($$"""
            (() => {
              const d = new Date({{JsonSerializer.Serialize(start.ToString("O", CultureInfo.InvariantCulture))}});
              const pad = (n) => String(n).padStart(2, '0');
              document.querySelector('#export-start').value = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
              document.querySelector('#export-length').value = '4';
              return true;
            })()
            """);
        var download = await page.Page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-form button[type=submit]"));
        using var folder = new TempDirectory("export");
        var saved = folder.Combine(download.SuggestedFilename);
        await download.SaveAsAsync(saved);
        var probed = await Ffprobe.ProbeAsync(saved, ct);
        TestContext.Current.SendDiagnosticMessage($"exported 4 s from 1 s in: ffprobe duration {probed.Duration:0.000} s, {probed.Width}x{probed.Height}");
        // Stream copy starts at the key frame at or before the start (the recorder's GOP is one second), so the
        // clip may begin up to a second early; it never falls short of what was asked by more than a frame or two.
        Assert.InRange(probed.Duration!.Value, 3.8, 5.1);
        Assert.Equal(640, probed.Width);
        Assert.StartsWith("Exported ", await page.TextAsync("#export-status"), StringComparison.Ordinal);
        // The export is made in a temporary file that is gone once sent; the stored segments are untouched.
        for (var i = 0; i < 50 && Directory.GetFiles(Path.GetTempPath(), "videosensor-export-*").Length > 0; i++)
        {
            await Task.Delay(100, ct);
        }

        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), "videosensor-export-*"));
        Assert.Equal(segments, service.Services.GetRequiredService<FileStore>().List(FileKind.Recording, "test0").Count);
        Assert.True(findings.Count == 0, string.Join('\n', findings));
        Assert.Empty(page.Errors);
    }
}

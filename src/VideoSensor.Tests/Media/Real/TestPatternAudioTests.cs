using VideoSensor.Tests.Console.Browser;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Media.Real;

/// <summary>
/// A test-pattern camera's tone through the real MediaMTX: both tracks reach RTSP, HLS and WebRTC (Chromium) readers,
/// recordings keep them, and the beeps sit on the burnt-in clock's second boundaries (measured from the decoded
/// recording, not assumed). Static bars (smptebars) so the clock is the only thing that changes in the picture.
/// </summary>
public sealed class TestPatternAudioTests
{
    private const int FontSize = 18; // TestPatternInput.FontSize at 640x360

    private static string Camera(bool audio = true) => $"""
        cameras:
          test_patterns:
            - id: tone
              name: Tone
              pattern: smptebars
              resolution: 640x360
              fps: 25
              audio:
                enabled: {(audio ? "true" : "false")}
        recording:
          segment_seconds: 4
          progress_interval_seconds: 1
        """;

    [Fact]
    public async Task Test_pattern_audio_reaches_rtsp_hls_and_webrtc_readers_as_opus()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var plane = await RealDataPlane.StartAsync(Camera(), ["tone"], ct);
        await using var client = await plane.StreamingAsync("tone", ct);
        var token = await plane.Service.TokenAsync("viewer");

        var rtsp = AudioCheck.Tracks(await Ffprobe.ProbeAsync(plane.Rtsp("tone", "?token=" + token), ct, ["-rtsp_transport", "tcp"]));
        var hls = AudioCheck.Tracks(await Ffprobe.ProbeAsync(plane.Hls("tone", "?token=" + token), ct));
        await using var browser = await Chromium.LaunchAsync(ct);
        var page = await browser.NewPageAsync(ct);
        await page.GotoAsync(new Uri(plane.Service.BaseUri, "/console/config.json"), ct);
        var webrtc = await WhepAudio.ReadAsync(page, plane.Whep("tone"), token, TimeSpan.FromSeconds(30));
        var status = await AudioStatus.WaitForAudioAsync(client, "tone", ct);
        var url = (await client.CallAsync("get_stream_url", new { device = "tone" }, ct)).EnsureSuccess().Result;
        var capabilities = (await client.CallAsync("get_camera_capabilities", new { device = "tone" }, ct)).EnsureSuccess().Result;

        Assert.Equal([("video", "h264"), ("audio", "opus")], rtsp.Select(t => (t.Type, t.Codec)));
        // RTP always signals Opus as opus/48000/2 (RFC 7587), so an RTSP reader sees two channels of the mono tone.
        Assert.Equal(48000, rtsp[1].SampleRate);
        Assert.Contains(hls, t => t is { Type: "audio", Codec: "opus", SampleRate: 48000 });
        Assert.Contains(hls, t => t is { Type: "video", Codec: "h264" });
        Assert.True(webrtc.Status == 201, $"WHEP answered {webrtc.Status}: {webrtc.Error}");
        Assert.StartsWith("a=rtpmap:", webrtc.AnswerAudio, StringComparison.Ordinal);
        Assert.Contains("opus/48000", webrtc.AnswerAudio, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("audio/opus", webrtc.MimeType, ignoreCase: true);
        Assert.True(webrtc.PacketsReceived >= 50, $"{webrtc.PacketsReceived} audio packets ({webrtc.BytesReceived} bytes) in 30 s");
        // Measured from the published stream (ffprobe of the MediaMTX path), not taken from the configuration.
        Assert.Equal(("opus", 48000), (status.GetProperty("codec").GetString(), status.GetProperty("sample_rate").GetInt32()));
        Assert.Equal(["rtsp", "webrtc", "hls"], url.GetProperty("audio_protocols").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("opus", capabilities.GetProperty("audio_track").GetProperty("codec").GetString());
    }

    [Fact]
    public async Task Recording_keeps_both_tracks_and_in_every_segment_each_beep_is_within_100_ms_of_the_clock_turning()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var plane = await RealDataPlane.StartAsync(Camera(), ["tone"], ct);
        await using var client = await plane.Service.ConnectAsync("operator", ct);
        (await client.CallAsync("subscribe_events", new { topics = new[] { "recording.stop" } }, ct)).EnsureSuccess();

        (await client.CallAsync("start_recording", new { device = "tone", duration = 12 }, ct, TimeSpan.FromSeconds(40))).EnsureSuccess();
        await client.NextNotificationAsync("recording.stop", TimeSpan.FromSeconds(60));
        var files = Directory.GetFiles(Path.Combine(plane.Service.StorageRoot, "recordings", "tone"), "*.mp4").Order(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(files);
        var offsets = new List<(int File, double Offset)>();
        var beeps = 0;
        var seconds = 0;
        for (var i = 0; i < files.Count; i++)
        {
            var tracks = AudioCheck.Tracks(await Ffprobe.ProbeAsync(files[i], ct));
            Assert.Equal([("video", "h264"), ("audio", "opus")], tracks.Select(t => (t.Type, t.Codec)));
            var scan = await AudioCheck.BeepOnsetsAsync(files[i], ct);
            // A turn closer than 0.15 s to either end of the file's audio may have its beep in the neighbouring file.
            var turns = (await AudioCheck.ClockChangesAsync(files[i], 640, FontSize, ct)).Where(t => t > scan.AudioStart + 0.15 && t < scan.AudioEnd - 0.15).ToList();
            Output($"{Path.GetFileName(files[i])}: beeps {Join(scan.Onsets)}; clock turns {Join(turns)}");
            beeps += scan.Onsets.Count;
            seconds += turns.Count;
            // Each clock turn against its nearest beep. The frame showing the new second is the first at or after the
            // boundary (up to one 40 ms frame late); the beep starts on the boundary itself.
            offsets.AddRange(turns.Where(_ => scan.Onsets.Count > 0).Select(t => (i, scan.Onsets.MinBy(o => Math.Abs(o - t)) - t)));
        }

        Output($"beep minus clock turn (s): {string.Join(", ", offsets.Select(o => $"#{o.File} {o.Offset:0.000}"))}");
        Assert.True(seconds >= 4, $"the clock turned {seconds} times in 12 s of recording");
        Assert.True(beeps >= seconds, $"{beeps} beeps for {seconds} clock turns");
        Assert.True(offsets.Count(o => o.File == 0) >= 2, "too few clock turns in the first segment");
        Assert.True(offsets.Count(o => o.File > 0) >= 4, "too few clock turns after the first segment");
        // Every segment, the first included: its audio starts before the first key frame, and the muxer holds that
        // key frame from 0 until the next picture, so later pictures keep their true times (see docs/audio.md).
        // Beep and clock are both periodic: this is the offset modulo one second (a whole-second shift would pass).
        Assert.All(offsets, o => Assert.InRange(o.Offset, -0.1, 0.1));

        // The first segment as Chromium plays it: the picture's clock turns where ffmpeg sees it (no edit list or start
        // offset read differently), the duration is the file's, and Chromium's own audio decoder beeps on those turns.
        var probed = await Ffprobe.ProbeAsync(files[0], ct, ["-show_packets"]);
        var (audioStart, audioGap) = AudioCheck.AudioTimeline(probed);
        await using var browser = await Chromium.LaunchAsync(ct);
        var page = await browser.NewPageAsync(ct);
        var chromium = await ChromiumAvSync.ReadAsync(page, files[0], 640, FontSize);
        var inChromium = chromium.ClockTurns.Where(t => t > 0.15 && t < chromium.AudioDuration - 0.15 && chromium.BeepOnsets.Count > 0)
            .Select(t => chromium.BeepOnsets.MinBy(o => Math.Abs(o - t)) - t).ToList();
        Output($"chromium, first segment: duration {chromium.Duration:0.000} s (ffprobe {probed.Duration:0.000}); beeps {Join(chromium.BeepOnsets)}; clock turns {Join(chromium.ClockTurns)}; beep minus turn {Join(inChromium)}");
        Assert.InRange(chromium.Duration, probed.Duration!.Value - 0.25, probed.Duration.Value + 0.25);
        // decodeAudioData ignores timestamps: its sample n is the file's time n / rate only for audio from 0 without holes.
        Assert.True(Math.Abs(audioStart) < 0.001 && audioGap < 0.001, $"the first segment's audio starts at {audioStart:0.000} s, largest hole {audioGap:0.000} s");
        Assert.True(inChromium.Count >= 2, $"Chromium saw {chromium.ClockTurns.Count} clock turns in the first segment");
        // A turn is found at the first seek at or after its picture's time: up to one step late.
        Assert.All(inChromium, o => Assert.InRange(o, -0.1 - chromium.Step, 0.1));
    }

    private static void Output(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    private static string Join(IEnumerable<double> values) => string.Join(' ', values.Select(v => v.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public async Task With_audio_off_the_stream_carries_video_only()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var plane = await RealDataPlane.StartAsync(Camera(audio: false), ["tone"], ct);
        await using var client = await plane.StreamingAsync("tone", ct);
        var token = await plane.Service.TokenAsync("viewer");

        var rtsp = AudioCheck.Tracks(await Ffprobe.ProbeAsync(plane.Rtsp("tone", "?token=" + token), ct, ["-rtsp_transport", "tcp"]));
        await AudioStatus.WaitForMeasuredAsync(plane, "tone", ct);
        var url = (await client.CallAsync("get_stream_url", new { device = "tone" }, ct)).EnsureSuccess().Result;

        Assert.Equal(["video"], rtsp.Select(t => t.Type));
        Assert.Empty(url.GetProperty("audio_protocols").EnumerateArray());
    }
}

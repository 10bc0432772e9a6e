using VideoSensor.Tests.Console.Browser;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Media.Real;

/// <summary>
/// An IP camera's AAC audio through the real MediaMTX. The camera publishes a known file with <c>-c copy</c>
/// (<see cref="FileRtspCamera"/>: white noise, so every audio packet differs): by default the packets in a
/// recording and in HLS are the file's own, byte for byte; with <c>audio.webrtc: transcode</c> the feed is
/// republished with the video copied (it decodes to the file's very pictures) and the audio in Opus for WebRTC.
/// (GStreamer's RTSP server, the other test camera, was not usable as a reference here: two of its clients were
/// measured to receive different audio bytes for the same seconds.)
/// </summary>
public sealed class RtspFeedAudioTests
{
    private static string Feed(string url, string webrtc = "passthrough") => $"""
        cameras:
          rtsp_probe_interval_seconds: 2
          rtsp:
            - id: door
              url: {url}
              transport: tcp
              audio:
                webrtc: {webrtc}
        recording:
          segment_seconds: 10
        """;

    [Fact]
    public async Task Feed_aac_reaches_recording_and_hls_byte_for_byte()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var camera = await FileRtspCamera.StartAsync(RealDataPlane.RequireBinary(), ct);
        await using var plane = await RealDataPlane.StartAsync(Feed(camera.Url), ["door"], ct);
        await using var client = await plane.Service.ConnectAsync("operator", ct);
        var audio = await AudioStatus.WaitForAudioAsync(client, "door", ct);
        var token = await plane.Service.TokenAsync("viewer");
        (await client.CallAsync("subscribe_events", new { topics = new[] { "recording.stop" } }, ct)).EnsureSuccess();

        (await client.CallAsync("start_recording", new { device = "door", duration = 5 }, ct, TimeSpan.FromSeconds(40))).EnsureSuccess();
        var hls = await AudioCheck.PacketHashesAsync(plane.Hls("door", "?token=" + token), ct, seconds: 4);
        await client.NextNotificationAsync("recording.stop", TimeSpan.FromSeconds(60));
        // One file, or more when the recorder restarted (it does on a loaded machine): each must carry both tracks,
        // and every audio packet in any of them must be one the camera sent.
        var files = Directory.GetFiles(Path.Combine(plane.Service.StorageRoot, "recordings", "door"), "*.mp4");
        Assert.NotEmpty(files);
        var recorded = new List<string>();
        foreach (var file in files)
        {
            recorded.AddRange(await AudioCheck.PacketHashesAsync(file, ct));
            Assert.Equal([("video", "h264"), ("audio", "aac")], AudioCheck.Tracks(await Ffprobe.ProbeAsync(file, ct)).Select(t => (t.Type, t.Codec)));
        }

        var camerasOwn = (await AudioCheck.PacketHashesAsync(camera.File, ct)).ToHashSet(StringComparer.Ordinal);
        var url = (await client.CallAsync("get_stream_url", new { device = "door" }, ct)).EnsureSuccess().Result;

        Assert.Equal(("aac", 48000, 1), (audio.GetProperty("codec").GetString(), audio.GetProperty("sample_rate").GetInt32(), audio.GetProperty("channels").GetInt32()));
        Assert.Equal(["rtsp", "hls"], url.GetProperty("audio_protocols").EnumerateArray().Select(p => p.GetString()));
        Assert.True(camerasOwn.Count > 400, $"the camera's file holds {camerasOwn.Count} distinct audio packets");
        // 48 kHz AAC is ~47 packets a second; every one the recording holds is one the camera sent, byte for byte.
        Assert.True(recorded.Count >= 150, $"the recording holds {recorded.Count} audio packets");
        Assert.All(recorded, h => Assert.Contains(h, camerasOwn));
        Assert.True(hls.Count >= 100, $"HLS gave {hls.Count} audio packets");
        Assert.All(hls, h => Assert.Contains(h, camerasOwn));
    }

    [Fact]
    public async Task With_transcode_the_feed_is_republished_with_copied_video_and_opus_for_webrtc()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var camera = await FileRtspCamera.StartAsync(RealDataPlane.RequireBinary(), ct);
        await using var plane = await RealDataPlane.StartAsync(Feed(camera.Url, "transcode"), ["door"], ct);
        await using var client = await plane.StreamingAsync("door", ct);
        var token = await plane.Service.TokenAsync("viewer");

        var republished = await AudioCheck.DecodedVideoHashesAsync(plane.Rtsp("door", "?token=" + token), ct, ["-rtsp_transport", "tcp"], seconds: 4);
        var tracks = AudioCheck.Tracks(await Ffprobe.ProbeAsync(plane.Rtsp("door", "?token=" + token), ct, ["-rtsp_transport", "tcp"]));
        await using var browser = await Chromium.LaunchAsync(ct);
        var page = await browser.NewPageAsync(ct);
        await page.GotoAsync(new Uri(plane.Service.BaseUri, "/console/config.json"), ct);
        var webrtc = await WhepAudio.ReadAsync(page, plane.Whep("door"), token, TimeSpan.FromSeconds(30));
        var camerasOwn = (await AudioCheck.DecodedVideoHashesAsync(camera.File, ct)).ToHashSet(StringComparer.Ordinal);

        Assert.Equal([("video", "h264"), ("audio", "opus")], tracks.Select(t => (t.Type, t.Codec)));
        // Copied, not re-encoded: every republished picture is one of the file's, pixel for pixel.
        Assert.True(republished.Count >= 30, $"decoded {republished.Count} pictures from MediaMTX");
        Assert.All(republished, h => Assert.Contains(h, camerasOwn));
        Assert.True(webrtc.Status == 201, $"WHEP answered {webrtc.Status}: {webrtc.Error}");
        Assert.Equal("audio/opus", webrtc.MimeType, ignoreCase: true);
        Assert.True(webrtc.PacketsReceived >= 50, $"{webrtc.PacketsReceived} audio packets over WebRTC");
    }
}

using System.Globalization;
using System.Text;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Media.Real;

/// <summary>The capacity promise with the real MediaMTX: 8 cameras stream at full frame rate to a reader each; a 9th is refused.</summary>
public sealed class EightStreamsTests
{
    [Fact]
    public async Task Eight_cameras_stream_at_full_frame_rate_with_a_reader_each_and_the_ninth_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var ids = Enumerable.Range(1, 8).Select(i => $"cam{i}").ToList();
        var yaml = new StringBuilder("cameras:\n  test_patterns:\n    - id: test0\n      resolution: 320x180\n      fps: 15\n");
        foreach (var id in ids)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"    - id: {id}\n      resolution: 320x180\n      fps: 15\n");
        }

        await using var plane = await RealDataPlane.StartAsync(yaml.ToString(), ["test0", .. ids], ct);
        await using var client = await plane.Service.ConnectAsync("operator", ct);
        foreach (var id in ids)
        {
            (await client.CallAsync("start_streaming", new { device = id }, ct)).EnsureSuccess();
        }

        var ninth = await client.CallAsync("start_streaming", new { device = "test0" }, ct);
        foreach (var id in ids)
        {
            await plane.WaitForAvailableAsync(id, TimeSpan.FromSeconds(30), ct);
        }

        var token = await plane.Service.TokenAsync("viewer");
        // Six seconds of stream time each, all at once; the rate is measured from the decoded frames' timestamps
        // (the first second may start between keyframes, which a decoder cannot show).
        var reads = await Task.WhenAll(ids.Select(id => FrameReader.ReadDurationAsync(plane.Rtsp(id, "?token=" + token), seconds: 6, TimeSpan.FromSeconds(60), ct)));

        Assert.Equal(-32050, ninth.ErrorCode);
        Assert.Contains("capacity", ninth.Raw.ToString(), StringComparison.Ordinal);
        Assert.All(reads, r => Assert.True(r.Frames >= 60 && r.Fps >= 14.5, $"{r.Frames} frames at {r.Fps:0.00} fps: {r.Error}"));
        // Every reader also kept up in real time (loose bound: 5 s of video, start included, on a loaded 2-core machine).
        Assert.All(reads, r => Assert.True(r.Elapsed < TimeSpan.FromSeconds(30), $"took {r.Elapsed.TotalSeconds:0.0} s"));
    }
}

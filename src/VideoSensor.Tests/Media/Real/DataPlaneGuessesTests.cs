using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Media.Real;

/// <summary>
/// Guessing a key over RTSP, through the real MediaMTX and its auth callback, spends the same per-address failure
/// budget as guesses over WebSocket and REST, and is logged like them: a reader cannot brute-force the data plane.
/// </summary>
public sealed class DataPlaneGuessesTests
{
    [Fact]
    public async Task Rtsp_guesses_through_MediaMTX_spend_the_shared_budget_and_then_even_the_right_key_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var plane = await RealDataPlane.StartAsync("""
            security:
              auth_failure_burst: 5
              auth_failures_per_minute: 1
            """, ["test0"], ct);
        var guesses = Enumerable.Range(0, 8).Select(i => $"guess{i}-{Guid.NewGuid():N}").ToList();

        foreach (var guess in guesses)
        {
            var refused = await FrameReader.ReadAsync(plane.RtspWithPassword("test0", "viewer", guess), frames: 1, TimeSpan.FromSeconds(20), ct);
            Assert.Equal(0, refused.Frames);
        }

        var rightKeyOverRtsp = await FrameReader.ReadAsync(plane.RtspWithPassword("test0", "viewer", ApiKeys.Viewer), frames: 1, TimeSpan.FromSeconds(20), ct);
        await using var client = await RpcTestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{plane.Service.Port}/ws"), cancellationToken: ct);
        var rightKeyOverWebSocket = await client.CallAsync("authenticate", new { auth_token = ApiKeys.Viewer }, ct);

        Assert.Equal(0, rightKeyOverRtsp.Frames);
        Assert.Equal(-32040, rightKeyOverWebSocket.ErrorCode);
        var lines = plane.Service.Logs.Lines;
        Assert.Equal(5, lines.Count(l => l.Contains("Authentication failed from 127.0.0.1 over data_plane", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains("Authentication refused unchecked from 127.0.0.1 over data_plane", StringComparison.Ordinal));
        var log = plane.Service.Logs.All;
        Assert.DoesNotContain(guesses, g => log.Contains(g, StringComparison.Ordinal));
    }
}

using System.Diagnostics;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Media.Real;

/// <summary>kill -9 of the real MediaMTX: the service restarts it, puts the paths back, publishes again, and readers play.</summary>
public sealed class MediaMtxRecoveryTests
{
    [Fact]
    public async Task After_kill_9_of_MediaMTX_paths_and_publishing_come_back_and_a_reader_plays_again()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var plane = await RealDataPlane.StartAsync(null, ["test0"], ct);
        await using var client = await plane.StreamingAsync("test0", ct);
        var token = await plane.Service.TokenAsync("viewer");
        var firstPid = plane.State.Status.Pid ?? throw new InvalidOperationException("MediaMTX has no pid");

        using (var victim = Process.GetProcessById(firstPid))
        {
            victim.Kill();
            await victim.WaitForExitAsync(ct);
        }

        var watch = Stopwatch.StartNew();
        await WaitUntilAsync(() => plane.State.IsRunning && plane.State.Status.Pid != firstPid, TimeSpan.FromSeconds(30), ct);
        await plane.WaitForPathsAsync(["test0"], TimeSpan.FromSeconds(30), ct);
        var pathsBack = watch.Elapsed;
        await plane.WaitForAvailableAsync("test0", TimeSpan.FromSeconds(30), ct);
        var publishingBack = watch.Elapsed;
        var read = await FrameReader.ReadAsync(plane.Rtsp("test0", "?token=" + token), frames: 10, TimeSpan.FromSeconds(30), ct);

        Assert.True(read.Frames == 10, $"decoded {read.Frames} frames after the restart: {read.Error}");
        Assert.True(pathsBack <= publishingBack);
        Assert.True(publishingBack < TimeSpan.FromSeconds(30), $"publishing again after {publishingBack.TotalSeconds:0.0} s");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException("condition not met in time");
            }

            await Task.Delay(50, ct);
        }
    }
}

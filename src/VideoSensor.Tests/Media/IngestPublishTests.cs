using Microsoft.Extensions.Logging.Abstractions;
using VideoSensor.Cameras;
using VideoSensor.Media;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Media.Ingest;
using VideoSensor.Security;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Media;

/// <summary>The ingest's publish side, for real: ffmpeg publishes over RTSP to an ffmpeg listener; ffprobe reads the result.</summary>
public sealed class IngestPublishTests
{
    private static readonly TestPatternSource Pattern = new("testsrc2", new Resolution(320, 240), 15);

    private static IngestProcess StartIngest(int port, SecretRedactor redactor, string password = "pub-secret-123") =>
        new("x", FfmpegLocator.Find("ffmpeg")!, _ => ValueTask.FromResult(new InputArguments(FfmpegInput.TestPattern(Pattern))), IngestStreams.For(Pattern, 15),
            () => $"rtsp://videosensor-internal:{password}@127.0.0.1:{port}/x",
            new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)), redactor, TimeProvider.System, NullLogger.Instance);

    [Fact]
    public async Task Ingest_publishes_browser_decodable_h264_over_rtsp()
    {
        using var dir = new TempDirectory();
        var port = FreePort.Next();
        var output = dir.Combine("out.mp4");
        await using var listener = RtspListener.Start(port, output, seconds: 2);
        await using var ingest = StartIngest(port, new SecretRedactor());

        Assert.Equal(0, await listener.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var media = await Ffprobe.ProbeAsync(output, TestContext.Current.CancellationToken);

        Assert.Equal("h264", media.Codec);
        Assert.Equal((320, 240), (media.Width, media.Height));
        Assert.Equal("yuv420p", media.PixelFormat);
        Assert.Equal(0, media.HasBFrames);
        Assert.InRange(media.Duration ?? 0, 1.0, 10);
    }

    [Fact]
    public async Task Killed_ingest_restarts_and_publishes_again()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        var port = FreePort.Next();
        var redactor = new SecretRedactor();
        redactor.Register("pub-secret-123");
        await using var first = RtspListener.Start(port, dir.Combine("first.mp4"));
        await using var ingest = StartIngest(port, redactor);
        await first.WaitForPublisherAsync(TimeSpan.FromSeconds(60));
        var killedPid = ingest.Status.Pid ?? throw new InvalidOperationException("no pid while publishing");
        var exited = WaitFor(ingest, s => !s.Running && s.Restarts >= 1);

        System.Diagnostics.Process.GetProcessById(killedPid).Kill();
        var afterKill = await exited.WaitAsync(TimeSpan.FromSeconds(30), ct);
        await first.DisposeAsync();
        var output = dir.Combine("second.mp4");
        await using var second = RtspListener.Start(port, output, seconds: 2);

        Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var media = await Ffprobe.ProbeAsync(output, ct);
        Assert.Equal(137, afterKill.LastExitCode);
        Assert.Equal("h264", media.Codec);
        Assert.InRange(media.Duration ?? 0, 1.0, 10);
        Assert.NotEqual(killedPid, ingest.Status.Pid);
        Assert.DoesNotContain(ingest.Status.LastErrors, l => l.Contains("pub-secret-123", StringComparison.Ordinal));
    }

    private static Task<IngestStatus> WaitFor(IngestProcess ingest, Func<IngestStatus, bool> condition)
    {
        var done = new TaskCompletionSource<IngestStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        ingest.Changed += s =>
        {
            if (condition(s))
            {
                done.TrySetResult(s);
            }
        };
        return done.Task;
    }
}

using System.Diagnostics;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Recording;

/// <summary>
/// kill -9 of the service mid-recording: its recorder dies with it (parent-death signal), and a restart on the
/// same storage finishes every segment, playable with zero decode errors. A recorder that did outlive its
/// service is ended by the restart before any of its files is touched.
/// </summary>
public sealed class ServiceCrashTests
{
    [Fact]
    public async Task Kill_9_mid_recording_ends_the_recorder_and_a_restart_keeps_every_segment_playable()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await ServiceProcess.StartAsync(null, ct, environment: new Dictionary<string, string> { ["VIDEOSENSOR__RECORDING__SEGMENT_SECONDS"] = "2" });
        try
        {
            var folder = Path.Combine(first.StorageRoot, "recordings", "test0");
            await using (var client = await ConnectAsync(first, ct))
            {
                (await client.CallAsync("subscribe_events", new { topics = new[] { "recording.progress" } }, ct)).EnsureSuccess();
                (await client.CallAsync("start_recording", new { device = "test0" }, ct, TimeSpan.FromSeconds(40))).EnsureSuccess();
                await client.NextNotificationAsync("recording.progress", TimeSpan.FromSeconds(30), p => p.GetProperty("duration").GetDouble() >= 5);
            }

            Assert.NotEmpty(MediaCheck.ProcessesMentioning(folder));
            await first.KillHardAsync();

            // No recorder of the dead service goes on writing.
            Assert.Empty(await MediaCheck.WaitUntilNoProcessMentionsAsync(folder, TimeSpan.FromSeconds(15)));
            Assert.NotEmpty(Directory.GetFiles(folder, "*.partial"));

            await using var second = await ServiceProcess.StartAsync(null, ct, environment: new Dictionary<string, string> { ["VIDEOSENSOR__STORAGE__ROOT"] = first.StorageRoot });
            Assert.Empty(Directory.GetFiles(folder, "*.partial"));
            var files = Directory.GetFiles(folder);
            Assert.True(files.Length >= 3, $"expected several segments, found {files.Length}");
            var total = 0.0;
            foreach (var file in files)
            {
                var probed = await Ffprobe.ProbeAsync(file, ct);
                Assert.True(probed.Duration > 0, $"{file} is not playable");
                Assert.Equal("", await MediaCheck.DecodeErrorsAsync(file, ct));
                total += probed.Duration!.Value;
            }

            Assert.True(total >= 4, $"recorded {total} s");
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_restart_ends_a_recorder_left_running_before_finishing_its_files()
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory("videosensor-orphan");
        var folder = root.Combine("storage", "recordings", "test0");
        Directory.CreateDirectory(folder);

        // A recorder as an earlier run of the service started it, now without a parent that will stop it.
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[]
        {
            "-hide_banner", "-nostdin", "-re", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=15", "-map", "0:v:0", "-c:v", "libx264", "-preset", "veryfast", "-g", "15",
            "-f", "segment", "-segment_time", "2", "-segment_format", "mp4", "-segment_format_options", "movflags=+frag_keyframe+empty_moov+default_base_moof",
            Path.Combine(folder, "test0_20260101T000000000Z_1_%04d.mp4.partial"),
        })
        {
            info.ArgumentList.Add(arg);
        }

        using var orphan = Process.Start(info)!;
        orphan.BeginErrorReadLine();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Directory.GetFiles(folder, "*.partial").Length < 2)
            {
                Assert.False(orphan.HasExited || DateTime.UtcNow > deadline, "the stand-in recorder did not start writing");
                await Task.Delay(100, ct);
            }

            await using var service = await ServiceProcess.StartAsync(null, ct, environment: new Dictionary<string, string> { ["VIDEOSENSOR__STORAGE__ROOT"] = root.Combine("storage") });

            Assert.True(orphan.HasExited, "the leftover recorder was ended");
            Assert.Contains("Ending recorder process " + orphan.Id, service.Output, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(folder, "*.partial"));
            var files = Directory.GetFiles(folder);
            Assert.True(files.Length >= 2, $"expected the orphan's segments, found {files.Length}");
            foreach (var file in files)
            {
                Assert.True((await Ffprobe.ProbeAsync(file, ct)).Duration > 0, $"{file} is not playable");
                Assert.Equal("", await MediaCheck.DecodeErrorsAsync(file, ct));
            }
        }
        finally
        {
            if (!orphan.HasExited)
            {
                orphan.Kill();
                await orphan.WaitForExitAsync(ct);
            }
        }
    }

    private static async Task<RpcTestClient> ConnectAsync(ServiceProcess service, CancellationToken ct)
    {
        var (exit, token, stderr) = await ServiceProcess.RunCliAsync(["token", "--role", "operator"],
            new Dictionary<string, string> { ["VIDEOSENSOR__STORAGE__ROOT"] = service.StorageRoot }, ct);
        Assert.True(exit == 0, stderr);
        var client = await RpcTestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{service.Port}/ws"), cancellationToken: ct);
        (await client.CallAsync("authenticate", new { auth_token = token.Trim() }, ct)).EnsureSuccess();
        return client;
    }
}

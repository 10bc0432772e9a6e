using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Recording;

/// <summary>
/// A service started over a store of recordings its probe cache has never seen describes them by itself, in the
/// background and at low priority, before anyone lists them: the first listing then answers every duration from
/// the cache, without starting a probe. Real ffmpeg and ffprobe (behind a wrapper that only logs each run).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ProbeCacheWarmupTests
{
    private const int Stored = 12;

    [Fact]
    public async Task A_started_service_describes_unseen_recordings_before_any_listing_and_lists_them_from_the_cache()
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory("videosensor-warmup");
        var folder = root.Combine("storage", "recordings", "test0");
        await SeedAsync(folder, ct);
        using var tools = new TempDirectory("videosensor-tools");
        var runs = tools.Combine("ffprobe-runs.log");
        // Logs each run's nice value (field 19 of /proc/<pid>/stat) and input, then becomes the real ffprobe.
        var ffprobe = RecordingFaultTests.Script(tools, "ffprobe",
            $"echo \"$(cut -d' ' -f19 /proc/$$/stat) $(eval echo \\${{$#}})\" >> {runs}\nexec ffprobe \"$@\"");

        await using var service = await TestService.StartAsync($"""
            media:
              ffprobe_path: {ffprobe}
            """, root: root, cancellationToken: ct);

        // No listing call: the warm-up reports itself done in the health report.
        var detail = await WarmDetailAsync(service, ct);
        Assert.Equal($"probe cache warm: {Stored} recordings described ({Stored} probed, 0 unknown)", detail[..detail.IndexOf(" in ", StringComparison.Ordinal)]);
        var warmRuns = File.ReadAllLines(runs);
        Assert.Equal(Stored, warmRuns.Length);
        Assert.All(warmRuns, line => Assert.Equal("10", line.Split(' ')[0])); // under nice: the live requests come first
        Assert.Equal(Directory.GetFiles(folder).Order(StringComparer.Ordinal), warmRuns.Select(l => l.Split(' ', 2)[1]).Order(StringComparer.Ordinal));
        Assert.Single(service.Logs.Lines, l => l.Contains("Probe cache warm", StringComparison.Ordinal));

        // The first listing answers every duration at once, and starts no probe.
        await using var client = await service.ConnectAsync("viewer", ct);
        var listed = Stopwatch.StartNew();
        var listing = await TestPatternRecording.CallAsync(client, "list_recordings", new { device = "test0", limit = 100 });
        listed.Stop();
        var files = listing.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(Stored, files.Count);
        Assert.All(files, f => Assert.InRange(f.GetProperty("duration").GetDouble(), 1.8, 2.2));
        Assert.Equal(Stored, File.ReadAllLines(runs).Length);
        Assert.True(listed.Elapsed < TimeSpan.FromSeconds(5), $"listing took {listed.Elapsed}"); // sanity only

        // Kept across restarts like every probe: the cache file holds every stored recording.
        var saved = await WaitForAsync(() =>
        {
            var found = Directory.GetFiles(root.Path, "probe-cache.json", SearchOption.AllDirectories);
            return found.Length == 1 ? JsonDocument.Parse(File.ReadAllText(found[0])).RootElement.GetArrayLength() : 0;
        }, count => count >= Stored, ct);
        Assert.Equal(Stored, saved);
    }

    private static async Task<string> WarmDetailAsync(TestService service, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await WaitForAsync(async () =>
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri(service.BaseUri, "/health"), ct));
            return doc.RootElement.GetProperty("components").GetProperty("recording_catalog").GetProperty("detail").GetString() ?? "";
        }, d => d.StartsWith("probe cache warm:", StringComparison.Ordinal), ct);
    }

    private static Task<T> WaitForAsync<T>(Func<T> read, Func<T, bool> done, CancellationToken ct) =>
        WaitForAsync(() => Task.FromResult(read()), done, ct);

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            // The health report and the cache file have no push signal: poll them.
            await Task.Delay(100, ct);
        }
    }

    /// <summary>One real 2 s fragmented MP4, copied: recordings the service has never probed.</summary>
    private static async Task SeedAsync(string folder, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var first = Path.Combine(folder, "test0_20250101T000000000Z_0_0000.mp4");
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var arg in new[] { "-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=15", "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-g", "15",
                     "-f", "mp4", "-movflags", "+frag_keyframe+empty_moov+default_base_moof", first })
        {
            info.ArgumentList.Add(arg);
        }

        using (var process = Process.Start(info)!)
        {
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            Assert.True(process.ExitCode == 0, await stderr);
        }

        for (var i = 1; i < Stored; i++)
        {
            File.Copy(first, Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"test0_20250101T000000000Z_0_{i:D4}.mp4")));
        }
    }
}

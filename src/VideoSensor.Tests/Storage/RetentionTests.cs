using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Recording;

namespace VideoSensor.Tests.Storage;

/// <summary>Retention by size and age (oldest first, never the segment being written), persistence, and low space.</summary>
public sealed class RetentionTests
{
    private static Task<JsonElement> Call(RpcTestClient client, string method, object? parameters = null) => TestPatternRecording.CallAsync(client, method, parameters);

    [Fact]
    public async Task Retention_keeps_the_finished_segments_of_a_running_recording_so_its_summary_stays_true()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(TestPatternRecording.Camera, cancellationToken: ct);
        await using var client = await service.ConnectAsync("admin", ct);
        var older = (await TestPatternRecording.RecordAsync(service, client, 3)).Select(f => f.GetProperty("filename").GetString()!).ToList();
        var folder = Path.Combine(service.StorageRoot, "recordings", "test0");
        (await client.CallAsync("subscribe_events", new { topics = new[] { "recording.progress" } }, ct)).EnsureSuccess();
        await Call(client, "start_recording", new { device = "test0" });
        // At least two finished segments (2 s each) of the running recording.
        await client.NextNotificationAsync("recording.progress", TimeSpan.FromSeconds(40), p => p.GetProperty("duration").GetDouble() >= 5);

        // A limit nothing fits under: everything that may go, goes.
        await Call(client, "set_retention_policy", new { policy_type = "size", enabled = true, max_size_gb = 1.0 / 1024 / 1024 / 1024 });
        var cleanup = await Call(client, "cleanup_old_files");
        var stopped = await Call(client, "stop_recording", new { device = "test0" });
        var named = stopped.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToList();

        Assert.All(older, f => Assert.False(File.Exists(Path.Combine(folder, f)), $"{f} of the finished recording should have been deleted"));
        Assert.Contains("kept", cleanup.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(named.Count >= 3, stopped.ToString());
        Assert.All(named, f => Assert.True(File.Exists(Path.Combine(folder, f)), $"{f}, named by stop_recording, is gone"));
        var media = 0.0;
        foreach (var file in named)
        {
            media += (await Ffprobe.ProbeAsync(Path.Combine(folder, file), ct)).Duration ?? 0;
        }

        Assert.InRange(media, stopped.GetProperty("duration").GetDouble() - 1.5, stopped.GetProperty("duration").GetDouble() + 1.5);

        // Once the recording has ended its segments are ordinary files.
        var after = await Call(client, "cleanup_old_files");
        Assert.True(after.GetProperty("files_deleted").GetInt32() >= named.Count, after.ToString());
    }

    [Fact]
    public async Task Size_retention_deletes_oldest_first_and_never_the_segment_being_written()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(TestPatternRecording.Camera, cancellationToken: ct);
        await using var client = await service.ConnectAsync("admin", ct);
        var done = await TestPatternRecording.RecordAsync(service, client, 3);
        var folder = Path.Combine(service.StorageRoot, "recordings", "test0");
        var oldestFirst = done.Select(f => f.GetProperty("filename").GetString()!).Reverse().ToList();
        for (var i = 0; i < oldestFirst.Count; i++)
        {
            File.SetLastWriteTimeUtc(Path.Combine(folder, oldestFirst[i]), DateTime.UtcNow.AddHours(-10 + i));
        }

        (await client.CallAsync("subscribe_events", new { topics = new[] { "recording.progress" } }, ct)).EnsureSuccess();
        await Call(client, "start_recording", new { device = "test0" });
        await client.NextNotificationAsync("recording.progress", TimeSpan.FromSeconds(20), p => p.GetProperty("bytes").GetInt64() > 0);
        // The segment being written (a closed one may still wait for its probe as .partial too).
        Assert.True(service.Services.GetRequiredService<VideoSensor.Recording.RecordingManager>().TryGet("test0", out var session));
        var partial = session.ActivePartialPath!;

        // A limit that only the newest old file fits under: everything older goes, oldest first.
        var newestSize = new FileInfo(Path.Combine(folder, oldestFirst[^1])).Length;
        var policy = await Call(client, "set_retention_policy", new { policy_type = "size", enabled = true, max_size_gb = (newestSize + 1) / 1024.0 / 1024 / 1024 });
        Assert.Equal("size", policy.GetProperty("policy_type").GetString());
        var cleanup = await Call(client, "cleanup_old_files");

        Assert.True(cleanup.GetProperty("cleanup_executed").GetBoolean());
        Assert.Equal(oldestFirst.Count - 1, cleanup.GetProperty("files_deleted").GetInt32());
        Assert.All(oldestFirst.SkipLast(1), n => Assert.False(File.Exists(Path.Combine(folder, n)), $"{n} should be gone"));
        Assert.True(File.Exists(Path.Combine(folder, oldestFirst[^1])));
        Assert.True(File.Exists(partial) || File.Exists(partial[..^".partial".Length]), "the segment being written survived");
        var stopped = await Call(client, "stop_recording", new { device = "test0" });
        foreach (var file in stopped.GetProperty("files").EnumerateArray())
        {
            var probed = await Ffprobe.ProbeAsync(Path.Combine(folder, file.GetString()!), ct);
            Assert.True(probed.Duration > 0);
        }
    }

    [Fact]
    public async Task Age_retention_deletes_only_files_older_than_the_limit()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(TestPatternRecording.Camera, cancellationToken: ct);
        await using var client = await service.ConnectAsync("admin", ct);
        var names = (await TestPatternRecording.RecordAsync(service, client, 3)).Select(f => f.GetProperty("filename").GetString()!).ToList();
        var folder = Path.Combine(service.StorageRoot, "recordings", "test0");
        var old = names[^1];
        File.SetLastWriteTimeUtc(Path.Combine(folder, old), DateTime.UtcNow.AddDays(-3));

        var manual = await Call(client, "cleanup_old_files");
        Assert.False(manual.GetProperty("cleanup_executed").GetBoolean());
        await Call(client, "set_retention_policy", new { policy_type = "age", enabled = true, max_age_days = 2 });
        var cleanup = await Call(client, "cleanup_old_files");

        Assert.Equal(1, cleanup.GetProperty("files_deleted").GetInt32());
        Assert.False(File.Exists(Path.Combine(folder, old)));
        Assert.All(names.SkipLast(1), n => Assert.True(File.Exists(Path.Combine(folder, n))));
    }

    [Fact]
    public async Task The_policy_survives_a_restart()
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory();
        await using (var first = await TestService.StartAsync(root: root, cancellationToken: ct))
        {
            await using var client = await first.ConnectAsync("admin", ct);
            await Call(client, "set_retention_policy", new { policy_type = "age", enabled = true, max_age_days = 7.5 });
        }

        await using var second = await TestService.StartAsync(root: root, cancellationToken: ct);
        await using var again = await second.ConnectAsync("admin", ct);
        var info = await Call(again, "get_storage_info");
        var policy = info.GetProperty("retention_policy");
        Assert.Equal("age", policy.GetProperty("policy_type").GetString());
        Assert.True(policy.GetProperty("enabled").GetBoolean());
        Assert.Equal(7.5, policy.GetProperty("max_age_days").GetDouble());
    }

    [Fact]
    public async Task Storage_info_reports_the_real_file_system_and_folder_sizes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(TestPatternRecording.Camera, cancellationToken: ct);
        await using var client = await service.ConnectAsync("admin", ct);
        var names = await TestPatternRecording.RecordAsync(service, client, 2);

        var info = await Call(client, "get_storage_info");
        var drive = new DriveInfo(service.StorageRoot);
        Assert.Equal(drive.TotalSize, info.GetProperty("total_space").GetInt64());
        Assert.InRange(info.GetProperty("available_space").GetInt64(), drive.AvailableFreeSpace - 64_000_000, drive.AvailableFreeSpace + 64_000_000);
        var recorded = Directory.GetFiles(Path.Combine(service.StorageRoot, "recordings"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.Equal(recorded, info.GetProperty("recordings_size").GetInt64());
        Assert.True(recorded > 0 && names.Count > 0);
        Assert.False(info.GetProperty("low_space_warning").GetBoolean() && drive.AvailableFreeSpace * 100.0 / drive.TotalSize > 10);
    }

    [Fact]
    public async Task Below_the_block_threshold_recording_is_refused_with_32050_and_the_service_stays_up()
    {
        var ct = TestContext.Current.CancellationToken;
        // Thresholds of 100 % make any real disk "full": the measurement is real, the limit is the test's.
        await using var service = await TestService.StartAsync(TestPatternRecording.Camera + """

            storage:
              low_space_percent: 100
              block_space_percent: 100
              check_interval_seconds: 1
            """, cancellationToken: ct);
        await using var client = await service.ConnectAsync("admin", ct);
        (await client.CallAsync("subscribe_events", new { topics = new[] { "storage.low_space" } }, ct)).EnsureSuccess();

        var refused = await client.CallAsync("start_recording", new { device = "test0" }, ct);
        var low = await client.NextNotificationAsync("storage.low_space", TimeSpan.FromSeconds(20));
        Assert.True(low.GetProperty("recording_blocked").GetBoolean());
        Assert.Equal(new DriveInfo(service.StorageRoot).TotalSize, low.GetProperty("total_space").GetInt64());
        Assert.Equal(-32050, refused.ErrorCode);
        Assert.Equal("storage", refused.ErrorData.GetProperty("dependency").GetString());
        Assert.True((await Call(client, "get_storage_info")).GetProperty("low_space_warning").GetBoolean());
        Assert.Equal("pong", (await Call(client, "ping")).GetString());
        using var http = await service.HttpAsync();
        using var health = await http.GetAsync(new Uri("/health", UriKind.Relative), ct);
        using var doc = JsonDocument.Parse(await health.Content.ReadAsStringAsync(ct));
        Assert.Equal("DEGRADED", doc.RootElement.GetProperty("components").GetProperty("storage").GetProperty("status").GetString());
    }
}

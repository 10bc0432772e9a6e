using System.Net;
using System.Text.Json;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Recording;

namespace VideoSensor.Tests.Storage;

/// <summary>
/// Symbolic links planted in every store folder (file links and camera-folder links, pointing outside the store)
/// are neither served, listed, described, deleted nor followed by retention; files still being written
/// (<c>.partial</c>) are invisible to every file method and URL.
/// </summary>
public sealed class StoreLinkTests
{
    [Fact]
    public async Task Links_planted_in_the_store_are_not_served_listed_deleted_or_followed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var outside = new TempDirectory("videosensor-outside");
        await using var service = await TestService.StartAsync(TestPatternRecording.Camera, cancellationToken: ct);
        await using var admin = await service.ConnectAsync("admin", ct);
        using var http = await service.HttpAsync("admin");
        var real = await TestPatternRecording.CallAsync(admin, "take_snapshot", new { device = "test0" });
        var recorded = await TestPatternRecording.RecordAsync(service, admin, 3);

        // Outside the store: a secret file and a folder that looks like a camera folder.
        var secret = outside.Combine("secret.txt");
        await File.WriteAllTextAsync(secret, "not for viewers", ct);
        Directory.CreateDirectory(outside.Combine("cam"));
        await File.WriteAllTextAsync(outside.Combine("cam", "outside.jpg"), "outside", ct);
        await File.WriteAllTextAsync(outside.Combine("cam", "outside.mp4"), "outside", ct);
        foreach (var kind in new[] { "snapshots", "recordings" })
        {
            var ext = kind == "snapshots" ? "jpg" : "mp4";
            File.CreateSymbolicLink(Path.Combine(service.StorageRoot, kind, "test0", $"link.{ext}"), secret);
            Directory.CreateSymbolicLink(Path.Combine(service.StorageRoot, kind, "linkcam"), outside.Combine("cam"));
        }

        var snapshots = await TestPatternRecording.CallAsync(admin, "list_snapshots", new { limit = 1000 });
        var recordings = await TestPatternRecording.CallAsync(admin, "list_recordings", new { limit = 1000 });
        var listed = Names(snapshots).Concat(Names(recordings)).ToList();
        Assert.Contains(real.GetProperty("filename").GetString(), listed);
        Assert.Equal(recorded.Count, Names(recordings).Count());
        foreach (var (kind, ext) in new[] { ("snapshot", "jpg"), ("recording", "mp4") })
        {
            foreach (var name in new[] { $"link.{ext}", $"outside.{ext}" })
            {
                Assert.DoesNotContain(name, listed);
                var download = await http.GetAsync(new Uri(service.BaseUri, $"/files/{kind}s/{name}"), ct);
                Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
                Assert.Equal(-32010, (await admin.CallAsync($"get_{kind}_info", new { filename = name }, ct)).ErrorCode);
                Assert.Equal(-32010, (await admin.CallAsync($"delete_{kind}", new { filename = name }, ct)).ErrorCode);
            }
        }

        // Retention that would delete everything it can see deletes only the store's own files.
        await TestPatternRecording.CallAsync(admin, "set_retention_policy", new { policy_type = "size", enabled = true, max_size_gb = 1e-9 });
        var cleanup = await TestPatternRecording.CallAsync(admin, "cleanup_old_files");
        Assert.Equal(recorded.Count + 1, cleanup.GetProperty("files_deleted").GetInt32());
        Assert.Equal("not for viewers", await File.ReadAllTextAsync(secret, ct));
        Assert.True(File.Exists(outside.Combine("cam", "outside.jpg")));
        Assert.True(File.Exists(outside.Combine("cam", "outside.mp4")));
    }

    [Fact]
    public async Task Partial_files_are_invisible_to_every_file_method_and_url()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(TestPatternRecording.Camera, cancellationToken: ct);
        await using var admin = await service.ConnectAsync("admin", ct);
        using var http = await service.HttpAsync("admin");
        (await admin.CallAsync("subscribe_events", new { topics = new[] { "recording.progress" } }, ct)).EnsureSuccess();
        await TestPatternRecording.CallAsync(admin, "start_recording", new { device = "test0" });
        await admin.NextNotificationAsync("recording.progress", TimeSpan.FromSeconds(20), p => p.GetProperty("bytes").GetInt64() > 0);
        var folder = Path.Combine(service.StorageRoot, "recordings", "test0");
        var partial = Path.GetFileName(Directory.GetFiles(folder, "*.partial").First());
        var sizeBefore = new FileInfo(Path.Combine(folder, partial)).Length;

        var listed = Names(await TestPatternRecording.CallAsync(admin, "list_recordings", new { limit = 1000 }));
        var download = await http.GetAsync(new Uri(service.BaseUri, $"/files/recordings/{partial}"), ct);
        var info = await admin.CallAsync("get_recording_info", new { filename = partial }, ct);
        var delete = await admin.CallAsync("delete_recording", new { filename = partial }, ct);

        Assert.DoesNotContain(partial, listed);
        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
        Assert.Equal(-32010, info.ErrorCode);
        Assert.Equal(-32010, delete.ErrorCode);
        var stopped = await TestPatternRecording.CallAsync(admin, "stop_recording", new { device = "test0" });
        var segment = partial[..^".partial".Length];
        Assert.Contains(segment, stopped.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.True(new FileInfo(Path.Combine(folder, segment)).Length >= sizeBefore, "the segment kept every byte written before the delete attempt");
    }

    private static IEnumerable<string> Names(JsonElement list) => list.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("filename").GetString()!);
}

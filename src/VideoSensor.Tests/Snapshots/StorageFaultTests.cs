using System.Diagnostics;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Recording;

namespace VideoSensor.Tests.Snapshots;

/// <summary>
/// Concurrent writers and a failing disk: 20 snapshots asking for one name at once get 20 distinct files (the
/// documented <c>_N</c> numbering) and leave nothing half-written; a read-only storage folder answers -32050 with
/// reason storage_readonly from every method that writes.
/// </summary>
public sealed class StorageFaultTests
{
    [Fact]
    public async Task Twenty_concurrent_snapshots_with_one_name_get_distinct_files_and_leave_no_partial()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(cancellationToken: ct);
        var clients = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => service.ConnectAsync("operator", ct)));
        try
        {
            var calls = clients.SelectMany(c => Enumerable.Range(0, 4).Select(_ => c.CallAsync("take_snapshot", new { device = "test0", filename = "dupname" }, ct, TimeSpan.FromSeconds(60))));
            RpcResponse[] responses;
            IReadOnlyCollection<string> seen;
            await using (var sampler = new CommandLineSampler())
            {
                responses = await Task.WhenAll(calls);
                seen = sampler.Seen;
            }

            // Requests that arrive while a grab for the same picture runs share it: far fewer ffmpeg runs than requests.
            var grabs = seen.Count(l => l.Contains("ffmpeg", StringComparison.Ordinal) && l.Contains(Path.Combine(service.StorageRoot, "snapshots"), StringComparison.Ordinal) && !l.Contains("setpriv", StringComparison.Ordinal));
            Assert.InRange(grabs, 1, 10);

            Assert.All(responses, r => Assert.False(r.IsError, r.ToString()));
            var names = responses.Select(r => r.Result.GetProperty("filename").GetString()!).ToList();
            Assert.Equal(20, names.Distinct(StringComparer.Ordinal).Count());
            Assert.Contains("dupname.jpg", names);
            Assert.All(Enumerable.Range(1, 19), i => Assert.Contains($"dupname_{i}.jpg", names));
            var folder = Path.Combine(service.StorageRoot, "snapshots", "test0");
            Assert.Empty(Directory.GetFiles(folder, "*.partial"));
            foreach (var response in responses)
            {
                var path = Path.Combine(service.StorageRoot, response.Result.GetProperty("file_path").GetString()!);
                Assert.Equal(new FileInfo(path).Length, response.Result.GetProperty("file_size").GetInt64());
                Assert.Equal("mjpeg", (await Ffprobe.ProbeAsync(path, ct)).Codec);
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Read_only_storage_answers_minus_32050_with_storage_readonly()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(TestPatternRecording.Camera, cancellationToken: ct);
        await using var admin = await service.ConnectAsync("admin", ct);
        var recorded = await TestPatternRecording.RecordAsync(service, admin, 3);
        var snapshot = await TestPatternRecording.CallAsync(admin, "take_snapshot", new { device = "test0" });

        // A read-only bind mount of the storage root: what a remounted or failing disk gives (EROFS), even to root.
        if (!await RunAsync("mount", "--bind", service.StorageRoot, service.StorageRoot))
        {
            Assert.Skip("cannot bind-mount here (needs CAP_SYS_ADMIN)");
        }

        try
        {
            Assert.True(await RunAsync("mount", "-o", "remount,bind,ro", service.StorageRoot), "remount read-only");
            var responses = new[]
            {
                await admin.CallAsync("take_snapshot", new { device = "test0" }, ct),
                await admin.CallAsync("start_recording", new { device = "test0" }, ct, TimeSpan.FromSeconds(40)),
                await admin.CallAsync("delete_recording", new { filename = recorded[0].GetProperty("filename").GetString() }, ct),
                await admin.CallAsync("delete_snapshot", new { filename = snapshot.GetProperty("filename").GetString() }, ct),
                await admin.CallAsync("set_retention_policy", new { policy_type = "age", enabled = true, max_age_days = 3 }, ct),
            };

            foreach (var response in responses)
            {
                Assert.Equal(-32050, response.ErrorCode);
                Assert.Equal("storage_readonly", response.ErrorData.GetProperty("reason").GetString());
            }

            // Reading still works, and the connection lives.
            var listing = await TestPatternRecording.CallAsync(admin, "list_recordings", new { device = "test0", limit = 1000 });
            Assert.Equal(recorded.Count, listing.GetProperty("total").GetInt32());
        }
        finally
        {
            await RunAsync("umount", service.StorageRoot);
        }

        Assert.DoesNotContain(Directory.EnumerateFiles(service.StorageRoot, "*", SearchOption.AllDirectories), f => f.EndsWith(".partial", StringComparison.Ordinal));
    }

    private static async Task<bool> RunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        await process.WaitForExitAsync();
        return process.ExitCode == 0;
    }
}

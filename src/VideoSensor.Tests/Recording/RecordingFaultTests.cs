using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Recording;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Recording;

/// <summary>
/// Faults around a recording, with real ffmpeg: a hung ffprobe (a wrapper that sleeps, as a probe under load
/// does) never costs a segment; a recorder that cannot start or restart ends the recording with an event that
/// names the true reason; a missing tool is -32050 with reason tool_missing.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RecordingFaultTests
{
    [Fact]
    public async Task A_hung_ffprobe_never_deletes_a_segment_and_listings_still_answer()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tools = new TempDirectory("videosensor-tools");
        var sleep = $"sleep 3600.{Random.Shared.Next(100_000, 999_999)}"; // unique, so only this test's children are counted
        var hung = Script(tools, "ffprobe", sleep); // the sleep is a child: killing only the shell would leave it holding the pipes
        await using var service = await TestService.StartAsync(TestPatternRecording.Camera + $"""

            media:
              ffprobe_path: {hung}
              probe_timeout_seconds: 2
            """, cancellationToken: ct);
        await using var client = await service.ConnectAsync("operator", ct);
        (await client.CallAsync("subscribe_events", new { topics = new[] { "recording.stop" } }, ct)).EnsureSuccess();

        await TestPatternRecording.CallAsync(client, "start_recording", new { device = "test0", duration = 7 });
        var stop = await client.NextNotificationAsync("recording.stop", TimeSpan.FromSeconds(90));

        var folder = Path.Combine(service.StorageRoot, "recordings", "test0");
        var files = Directory.GetFiles(folder).Order(StringComparer.Ordinal).ToList();
        Assert.Empty(Directory.GetFiles(folder, "*.partial"));
        Assert.True(files.Count >= 3, $"expected every segment of 7 s at 2 s each, found {files.Count}");
        Assert.Equal(files.Select(Path.GetFileName), stop.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        var onDisk = 0.0;
        foreach (var file in files)
        {
            var probed = await Ffprobe.ProbeAsync(file, ct);
            Assert.True(probed.Duration > 0, $"{file} is not playable");
            onDisk += probed.Duration!.Value;
        }

        Assert.Equal(stop.GetProperty("filename").GetString(), Path.GetFileName(files[0]));
        Assert.InRange(stop.GetProperty("duration").GetDouble(), onDisk - 1.5, onDisk + 1.5); // ffmpeg's own segment lengths

        var listing = await TestPatternRecording.CallAsync(client, "list_recordings", new { device = "test0", limit = 1000 });
        var listed = listing.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(files.Count, listed.Count);
        Assert.All(listed, f => Assert.False(f.TryGetProperty("duration", out var d) && d.ValueKind != JsonValueKind.Null, "no duration is known"));

        // Every timed-out probe was killed with its children (the listing above queued probes that run out their 2 s).
        Assert.Empty(await MediaCheck.WaitUntilNoProcessMentionsAsync(hung, TimeSpan.FromSeconds(20)));
        Assert.Empty(await MediaCheck.WaitUntilNoProcessMentionsAsync(sleep, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_recorder_that_cannot_start_ends_with_start_failed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tools = new TempDirectory("videosensor-tools");
        var failing = Script(tools, "ffmpeg", "echo 'cannot open the camera' >&2; exit 1");
        await using var service = await TestService.StartAsync(TestPatternRecording.Camera + $"""

            media:
              ffmpeg_path: {failing}
            """, cancellationToken: ct);
        await using var client = await service.ConnectAsync("operator", ct);
        (await client.CallAsync("subscribe_events", new { topics = new[] { "recording.stop", "recording.start" } }, ct)).EnsureSuccess();

        var start = await client.CallAsync("start_recording", new { device = "test0" }, ct, TimeSpan.FromSeconds(40));
        var stop = await client.NextNotificationAsync("recording.stop", TimeSpan.FromSeconds(20));

        Assert.Equal(-32050, start.ErrorCode);
        Assert.Equal("start_failed", start.ErrorData.GetProperty("reason").GetString());
        Assert.Equal("start_failed", stop.GetProperty("reason").GetString());
        Assert.DoesNotContain(client.DrainNotifications(), n => n.GetProperty("method").GetString() == "recording.start");
    }

    [Fact]
    public async Task Ffmpeg_removed_mid_recording_ends_it_with_tool_missing_and_keeps_what_was_recorded()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tools = new TempDirectory("videosensor-tools");
        var ffmpeg = tools.Combine("ffmpeg");
        File.Copy(FindOnPath("ffmpeg"), ffmpeg);
        File.SetUnixFileMode(ffmpeg, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        await using var service = await TestService.StartAsync(TestPatternRecording.Camera + $"""

            media:
              ffmpeg_path: {ffmpeg}
            """, cancellationToken: ct);
        await using var client = await service.ConnectAsync("operator", ct);
        (await client.CallAsync("subscribe_events", new { topics = new[] { "recording.progress", "recording.error", "recording.stop" } }, ct)).EnsureSuccess();
        var started = await TestPatternRecording.CallAsync(client, "start_recording", new { device = "test0" });
        await client.NextNotificationAsync("recording.progress", TimeSpan.FromSeconds(30), p => p.GetProperty("duration").GetDouble() >= 3);

        File.Delete(ffmpeg);
        var manager = service.Services.GetRequiredService<RecordingManager>();
        Assert.True(manager.TryGet("test0", out var session));
        System.Diagnostics.Process.GetProcessById(session.RecorderProcessId!.Value).Kill();

        var error = await client.NextNotificationAsync("recording.error", TimeSpan.FromSeconds(20));
        var stop = await client.NextNotificationAsync("recording.stop", TimeSpan.FromSeconds(30));
        Assert.Equal("RECONNECTING", error.GetProperty("status").GetString());
        Assert.Equal("tool_missing", stop.GetProperty("reason").GetString());
        Assert.Equal(started.GetProperty("filename").GetString(), stop.GetProperty("filename").GetString());

        var folder = Path.Combine(service.StorageRoot, "recordings", "test0");
        Assert.Empty(Directory.GetFiles(folder, "*.partial"));
        var kept = stop.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToList();
        Assert.NotEmpty(kept);
        foreach (var name in kept)
        {
            Assert.True((await Ffprobe.ProbeAsync(Path.Combine(folder, name), ct)).Duration > 0, $"{name} is not playable");
        }

        var again = await client.CallAsync("start_recording", new { device = "test0" }, ct, TimeSpan.FromSeconds(40));
        var snapshot = await client.CallAsync("take_snapshot", new { device = "test0" }, ct);
        foreach (var response in new[] { again, snapshot })
        {
            Assert.Equal(-32050, response.ErrorCode);
            Assert.Equal("tool_missing", response.ErrorData.GetProperty("reason").GetString());
        }

        var listing = await client.CallAsync("list_recordings", new { device = "test0" }, ct);
        Assert.Equal(kept.Count, listing.EnsureSuccess().Result.GetProperty("total").GetInt32());
    }

    internal static string Script(TempDirectory folder, string name, string body)
    {
        var path = folder.Combine(name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static string FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, tool)).First(File.Exists);
}

using System.Diagnostics;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Recording;

/// <summary>Recording a real RTSP camera (GStreamer server, GOP of 1/3 s): duration, recorder crash, camera outage.</summary>
public sealed class RtspRecordingTests
{
    private const double Gop = 5.0 / 15;

    [Fact]
    public async Task Recording_with_a_duration_stops_itself_and_its_playable_segments_total_that_duration()
    {
        await using var f = await RecordingFixture.StartAsync();

        var started = await f.CallAsync("start_recording", new { device = RecordingFixture.Device, duration = 5 });
        Assert.Equal("RECORDING", started.GetProperty("status").GetString());
        Assert.Equal("fmp4", started.GetProperty("format").GetString());
        var filename = started.GetProperty("filename").GetString()!;
        Assert.StartsWith("cam_", filename, StringComparison.Ordinal);

        var progress = await f.NextAsync("recording.progress", p => p.GetProperty("bytes").GetInt64() > 0);
        Assert.True(progress.GetProperty("duration").GetDouble() > 0);
        var stopped = await f.NextAsync("recording.stop");
        Assert.Equal("duration", stopped.GetProperty("reason").GetString());

        var segments = await f.ProbeAllAsync();
        Assert.True(segments.Count >= 2, $"5 s in 2 s segments must make several files, got {segments.Count}");
        Assert.Equal(filename, segments.Select(s => s.Name).Order(StringComparer.Ordinal).First());
        var total = segments.Sum(s => s.Duration);
        Assert.InRange(total, 5 - Gop, 5 + Gop);
        Assert.Equal(total, stopped.GetProperty("duration").GetDouble(), 1);
        var onDisk = Directory.GetFiles(Path.Combine(f.Service.StorageRoot, "recordings", RecordingFixture.Device));
        Assert.Equal(segments.Count, onDisk.Length);
        Assert.Equal(onDisk.Sum(p => new FileInfo(p).Length), stopped.GetProperty("file_size").GetInt64());

        // The camera is free again: a second recording can start.
        (await f.CallAsync("start_recording", new { device = RecordingFixture.Device, duration = 2 })).GetProperty("filename");
        await f.NextAsync("recording.stop");
    }

    [Fact]
    public async Task A_recorder_killed_mid_way_is_restarted_and_every_segment_stays_playable()
    {
        await using var f = await RecordingFixture.StartAsync();
        await f.CallAsync("start_recording", new { device = RecordingFixture.Device });
        await f.NextAsync("recording.progress", p => p.GetProperty("duration").GetDouble() >= 2.5);

        Assert.True(f.Recordings.TryGet(RecordingFixture.Device, out var session));
        var pid = session.RecorderProcessId ?? throw new InvalidOperationException("no recorder running");
        using (var recorder = Process.GetProcessById(pid))
        {
            Assert.Equal("ffmpeg", recorder.ProcessName);
            recorder.Kill(); // SIGKILL: no chance to finish anything
        }

        var error = await f.NextAsync("recording.error", p => p.TryGetProperty("restarting", out _));
        Assert.Contains("killed", error.GetProperty("error").GetString(), StringComparison.Ordinal);
        var recovered = await f.NextAsync("recording.error", p => p.TryGetProperty("recovered", out _));
        Assert.InRange(recovered.GetProperty("gap_seconds").GetDouble(), 0.01, 10);
        Assert.NotEqual(pid, session.RecorderProcessId);
        await f.NextAsync("recording.progress");

        var stopped = await f.CallAsync("stop_recording", new { device = RecordingFixture.Device });
        Assert.Equal("STOPPED", stopped.GetProperty("status").GetString());
        Assert.True(stopped.GetProperty("restarts").GetInt32() >= 1);
        var segments = await f.ProbeAllAsync();
        Assert.Equal(stopped.GetProperty("files").GetArrayLength(), segments.Count);
        Assert.True(segments.Sum(s => s.Duration) >= 2.5);
        Assert.Empty(Directory.GetFiles(Path.Combine(f.Service.StorageRoot, "recordings", RecordingFixture.Device), "*.partial"));
    }

    [Fact]
    public async Task A_camera_gone_for_ten_seconds_is_reported_and_the_recording_recovers()
    {
        await using var f = await RecordingFixture.StartAsync();
        await f.CallAsync("start_recording", new { device = RecordingFixture.Device });
        await f.NextAsync("recording.progress", p => p.GetProperty("duration").GetDouble() >= 1);

        await f.Camera.StopAsync();
        var error = await f.NextAsync("recording.error", p => p.TryGetProperty("restarting", out _));
        Assert.Equal("RECONNECTING", error.GetProperty("status").GetString());
        await Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken); // the outage itself
        await f.Camera.StartAsync();

        var recovered = await f.NextAsync("recording.error", p => p.TryGetProperty("recovered", out _), seconds: 40);
        Assert.InRange(recovered.GetProperty("gap_seconds").GetDouble(), 9, 30);
        await f.NextAsync("recording.progress", p => p.GetProperty("status").GetString() == "RECORDING");
        var stopped = await f.CallAsync("stop_recording", new { device = RecordingFixture.Device });
        Assert.True(stopped.GetProperty("gap_seconds").GetDouble() >= 9);
        var segments = await f.ProbeAllAsync();
        Assert.True(segments.Count >= 2);
    }
}

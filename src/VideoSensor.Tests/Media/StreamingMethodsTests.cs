using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Media.Contract;

namespace VideoSensor.Tests.Media;

/// <summary>The streaming methods over a real WebSocket, answering from what the (contract-checked) MediaMTX reports.</summary>
public sealed class StreamingMethodsTests
{
    private static async Task<TestService> StartAsync(MediaMtxDouble mtx, CancellationToken ct, int timeoutSeconds = 2)
    {
        var service = await TestService.StartAsync(ExternalMediaMtx.Yaml(mtx, autoCloseAfter: 120, timeoutSeconds: timeoutSeconds), cancellationToken: ct);
        await ExternalMediaMtx.WaitUntilRunningAsync(service.Services.GetRequiredService<MediaMtxState>(), TimeSpan.FromSeconds(30));
        await mtx.WaitForPathsAsync(["test0"], TimeSpan.FromSeconds(30));
        return service;
    }

    [Fact]
    public async Task Stream_lifecycle_reports_MediaMTX_state()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var mtx = new MediaMtxDouble();
        await using var service = await StartAsync(mtx, ct);
        await using var client = await service.ConnectAsync("operator", ct);
        var rtspPort = service.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<VideoSensor.Media.MediaOptions>>().Value.RtspPort;

        var notReady = (await client.CallAsync("get_stream_url", new { device = "test0" }, ct)).EnsureSuccess().Result;
        var started = (await client.CallAsync("start_streaming", new { device = "test0" }, ct)).EnsureSuccess().Result;
        mtx.SetLive("test0", ready: true, readers: 2, bytesSent: 5000);
        var url = (await client.CallAsync("get_stream_url", new { device = "test0" }, ct)).EnsureSuccess().Result;
        var status = (await client.CallAsync("get_stream_status", new { device = "test0" }, ct)).EnsureSuccess().Result;
        var streams = (await client.CallAsync("get_streams", cancellationToken: ct)).EnsureSuccess().Result;
        var camera = (await client.CallAsync("get_camera_status", new { device = "test0" }, ct)).EnsureSuccess().Result;
        var stopped = (await client.CallAsync("stop_streaming", new { device = "test0" }, ct)).EnsureSuccess().Result;
        var stoppedAgain = await client.CallAsync("stop_streaming", new { device = "test0" }, ct);

        Assert.False(notReady.GetProperty("available").GetBoolean());
        Assert.Equal("NOT_READY", notReady.GetProperty("stream_status").GetString());
        Assert.Equal("STARTED", started.GetProperty("status").GetString());
        Assert.Equal($"rtsp://sensor.test:{rtspPort}/test0", started.GetProperty("stream_url").GetString());
        Assert.Equal(120, started.GetProperty("auto_close_after").GetInt32());
        Assert.True(url.GetProperty("available").GetBoolean());
        Assert.Equal(2, url.GetProperty("active_consumers").GetInt32());
        Assert.Equal("READY", url.GetProperty("stream_status").GetString());
        Assert.Equal("ACTIVE", status.GetProperty("status").GetString());
        Assert.Equal(2, status.GetProperty("viewers").GetInt32());
        Assert.Equal(5000, status.GetProperty("bytes_sent").GetInt64());
        Assert.Equal(started.GetProperty("start_time").GetString(), status.GetProperty("start_time").GetString());
        Assert.True(status.GetProperty("ingest").TryGetProperty("restarts", out _));
        var item = Assert.Single(streams.GetProperty("streams").EnumerateArray());
        Assert.Equal(("test0", 2, 5000L, true), (item.GetProperty("name").GetString(), item.GetProperty("viewers").GetInt32(), item.GetProperty("bytes_sent").GetInt64(), item.GetProperty("ready").GetBoolean()));
        Assert.Equal((1, 1), (streams.GetProperty("total").GetInt32(), streams.GetProperty("active").GetInt32()));
        var metrics = camera.GetProperty("metrics");
        Assert.Equal((5000L, 2), (metrics.GetProperty("bytes_sent").GetInt64(), metrics.GetProperty("readers").GetInt32()));
        Assert.InRange(metrics.GetProperty("uptime").GetDouble(), 4, 600);
        Assert.Equal("STOPPED", stopped.GetProperty("status").GetString());
        Assert.InRange(stopped.GetProperty("duration").GetDouble(), 0, 600);
        Assert.Equal(-32020, stoppedAgain.ErrorCode);
        Assert.Empty(mtx.Violations);
    }

    [Fact]
    public async Task Start_streaming_runs_an_ingest_that_is_supervised()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var mtx = new MediaMtxDouble();
        await using var service = await StartAsync(mtx, ct);
        await using var client = await service.ConnectAsync("operator", ct);

        (await client.CallAsync("start_streaming", new { device = "test0" }, ct)).EnsureSuccess();
        var ingest = (await client.CallAsync("get_stream_status", new { device = "test0" }, ct)).EnsureSuccess().Result.GetProperty("ingest");
        (await client.CallAsync("stop_streaming", new { device = "test0" }, ct)).EnsureSuccess();
        var after = (await client.CallAsync("get_stream_status", new { device = "test0" }, ct)).EnsureSuccess().Result;

        // Nothing listens on the RTSP port here, so ffmpeg either runs (pid) or has exited and is being restarted.
        Assert.True(ingest.GetProperty("running").GetBoolean() ? ingest.GetProperty("pid").GetInt32() > 0 : ingest.GetProperty("restarts").GetInt32() > 0, ingest.ToString());
        Assert.Equal("INACTIVE", after.GetProperty("status").GetString());
        Assert.False(after.GetProperty("ingest").GetProperty("running").GetBoolean());
    }

    [Theory]
    [InlineData("start_streaming", "nope", -32010)]
    [InlineData("get_stream_url", "nope", -32010)]
    [InlineData("get_stream_status", "../etc/passwd", -32602)]
    [InlineData("start_streaming", "a b", -32602)]
    public async Task Bad_devices_get_clear_errors(string method, string device, int code)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var mtx = new MediaMtxDouble();
        await using var service = await StartAsync(mtx, ct);
        await using var client = await service.ConnectAsync("operator", ct);

        var response = await client.CallAsync(method, new { device }, ct);

        Assert.Equal(code, response.ErrorCode);
        Assert.Empty(mtx.Violations);
    }

    [Fact]
    public async Task Without_a_MediaMTX_binary_no_stream_url_is_handed_out_and_the_reason_says_how_to_provide_one()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        await using var service = await TestService.StartAsync($"""
            media:
              mediamtx:
                mode: managed
                binary_path: {dir.Combine("no-such-mediamtx")}
            """, cancellationToken: ct);
        await using var client = await service.ConnectAsync("viewer", ct);

        var url = await client.CallAsync("get_stream_url", new { device = "test0" }, ct);

        Assert.Equal(-32050, url.ErrorCode);
        Assert.Contains("mediamtx", url.Raw.ToString(), StringComparison.Ordinal);
        Assert.Contains("MEDIAMTX_BINARY", url.Raw.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DoubleFault.ServerError, "HTTP 500")]
    [InlineData(DoubleFault.Hang, "did not answer")]
    public async Task A_failing_MediaMTX_gives_32050_and_the_service_stays_up(DoubleFault fault, string detail)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var mtx = new MediaMtxDouble();
        await using var service = await StartAsync(mtx, ct, timeoutSeconds: 1);
        await using var client = await service.ConnectAsync("operator", ct);

        mtx.Fault = fault;
        var streams = await client.CallAsync("get_streams", cancellationToken: ct);
        var camera = await client.CallAsync("get_camera_status", new { device = "test0" }, ct);
        var ping = await client.CallAsync("ping", cancellationToken: ct);

        Assert.Equal(-32050, streams.ErrorCode);
        Assert.Equal("mediamtx", streams.ErrorData.GetProperty("dependency").GetString());
        Assert.Contains(detail, streams.ErrorData.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(camera.Result.TryGetProperty("metrics", out _));
        Assert.Equal("pong", ping.Result.GetString());
    }

    [Fact]
    public async Task Without_a_mediamtx_binary_the_service_runs_and_says_why_streaming_is_off()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync("""
            media:
              mediamtx:
                mode: managed
                binary_path: /nonexistent/mediamtx
            """, cancellationToken: ct);
        await using var client = await service.ConnectAsync("admin", ct);
        var state = service.Services.GetRequiredService<MediaMtxState>();
        await WaitForPhaseAsync(state, MediaMtxPhase.Stopped);

        using var http = await service.HttpAsync();
        var status = JsonDocument.Parse(await http.GetStringAsync("/health", ct)).RootElement;
        var start = await client.CallAsync("start_streaming", new { device = "test0" }, ct);
        var snapshot = await client.CallAsync("take_snapshot", new { device = "test0", max_width = 160 }, ct);

        var component = status.GetProperty("components").GetProperty("mediamtx");
        Assert.Equal("STOPPED", component.GetProperty("status").GetString());
        Assert.Contains("not found", component.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(-32050, start.ErrorCode);
        Assert.Equal("mediamtx", start.ErrorData.GetProperty("dependency").GetString());
        Assert.Equal("SUCCESS", snapshot.EnsureSuccess().Result.GetProperty("status").GetString());
    }

    internal static Task WaitForPhaseAsync(MediaMtxState state, MediaMtxPhase phase, Func<MediaMtxStatus, bool>? also = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(MediaMtxStatus s)
        {
            if (s.Phase == phase && (also?.Invoke(s) ?? true))
            {
                done.TrySetResult();
            }
        }

        state.Changed += OnChanged;
        OnChanged(state.Status);
        return done.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}

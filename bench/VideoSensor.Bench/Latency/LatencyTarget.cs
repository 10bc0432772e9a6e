using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Cameras;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Media.Ingest;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Media;

namespace VideoSensor.Bench.Latency;

/// <summary>One MediaMTX path to measure: its client URLs, how to make it idle again, and how to hold it published.</summary>
internal abstract class LatencyTarget : IAsyncDisposable
{
    protected const string Path = "cam0";

    protected LatencyTarget(RealMediaMtx.Ports ports) => Ports = ports;

    public RealMediaMtx.Ports Ports { get; }
    public abstract string Label { get; }

    /// <summary>Bearer token for WHEP and HLS, or null where MediaMTX lets anyone read.</summary>
    public abstract string? Token { get; }

    public abstract string RtspUrl { get; }
    public string WhepUrl => $"http://127.0.0.1:{Ports.WebRtc}/{Path}/whep";
    public Uri HlsUrl => new($"http://127.0.0.1:{Ports.Hls}/{Path}/index.m3u8");

    /// <summary>A page on another MediaMTX port, so the WHEP POST is cross-origin (with its preflight) as from the console.</summary>
    public Uri PageOrigin => new($"http://127.0.0.1:{Ports.Hls}/");

    /// <summary>Waits until nothing reads or publishes the path any more, so the next reader meets an idle camera.</summary>
    public async Task WaitIdleAsync(CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (await IsBusyAsync(ct))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(90))
            {
                throw new TimeoutException($"{Label}: {Path} still busy after 90 s");
            }

            await Task.Delay(100, ct); // polls MediaMTX's state between runs; not part of any measured time
        }

        // Let the last ffmpeg and MediaMTX's on-demand command finish exiting before the next run.
        await Task.Delay(300, ct);
    }

    /// <summary>Keeps the path published until disposed (start_streaming for the service, a reader for the floor).</summary>
    public abstract Task<IAsyncDisposable> HoldAsync(CancellationToken ct);

    public abstract ValueTask DisposeAsync();

    protected abstract Task<bool> IsBusyAsync(CancellationToken ct);

    /// <summary>The same ffmpeg the service's ingest runs for a test-pattern camera (same input, same encoder settings).</summary>
    public static IReadOnlyList<string> IngestArguments(TestPatternSource pattern, string publishUrl) =>
        [.. IngestProcess.BuildArguments(FfmpegInput.TestPattern(pattern), IngestStreams.For(pattern, pattern.Fps), publishUrl)];
}

/// <summary>The service managing the real MediaMTX, one test-pattern camera, readers authenticated with a token.</summary>
internal sealed class ServiceTarget : LatencyTarget
{
    private readonly TestService _service;
    private readonly string _token;

    private ServiceTarget(TestService service, RealMediaMtx.Ports ports, string token)
        : base(ports)
    {
        _service = service;
        _token = token;
    }

    public override string Label => "service";
    public override string? Token => _token;
    public override string RtspUrl => $"rtsp://127.0.0.1:{Ports.Rtsp}/{Path}?token={_token}";
    public TestService Service => _service;

    public static async Task<ServiceTarget> StartAsync(string binary, TestPatternSource pattern, CancellationToken ct)
    {
        var ports = RealMediaMtx.Ports.Allocate();
        // auto_close_after 3 s so cold runs come round quickly; at 1 s the idle check stopped an ingest that a
        // waiting reader had woken before it could publish (the held reader is not yet a reader in MediaMTX's API).
        var yaml = TestService.MergeSections(RealMediaMtx.Yaml(binary, ports, autoCloseAfter: 3), $"""
            cameras:
              test_patterns:
                - {"{"}id: {Path}, pattern: {pattern.Pattern}, resolution: {pattern.Resolution}, fps: {pattern.Fps}{"}"}
            logging:
              level: Warning
            """);
        var service = await TestService.StartAsync(yaml, cancellationToken: ct);
        await ExternalMediaMtx.WaitUntilRunningAsync(service.Services.GetRequiredService<MediaMtxState>(), TimeSpan.FromSeconds(60));
        var api = service.Services.GetRequiredService<MediaMtxClient>();
        var deadline = Stopwatch.StartNew();
        while (!(await api.ListPathConfigsAsync(ct)).Any(p => p.Name == Path))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("the service did not configure its path in MediaMTX");
            }

            await Task.Delay(100, ct);
        }

        return new ServiceTarget(service, ports, await service.TokenAsync("operator", TimeSpan.FromHours(4)));
    }

    /// <summary>The MediaMTX child's pid (for CPU figures).</summary>
    public int? MediaMtxPid => _service.Services.GetRequiredService<MediaMtxState>().Status.Pid;

    public override async Task<IAsyncDisposable> HoldAsync(CancellationToken ct)
    {
        var client = await _service.ConnectAsync("operator", ct);
        (await client.CallAsync("start_streaming", new { device = Path }, ct, TimeSpan.FromSeconds(30))).EnsureSuccess();
        var api = _service.Services.GetRequiredService<MediaMtxClient>();
        while (await api.GetPathAsync(Path, ct) is not { IsReady: true })
        {
            await Task.Delay(100, ct);
        }

        return new Hold(async () =>
        {
            await client.CallAsync("stop_streaming", new { device = Path }, ct);
            await client.DisposeAsync();
        });
    }

    public override ValueTask DisposeAsync() => _service.DisposeAsync();

    protected override async Task<bool> IsBusyAsync(CancellationToken ct)
    {
        var ingestRunning = _service.Services.GetRequiredService<IngestSupervisor>().Sessions().Any(s => s.Ingest?.Status.Running == true);
        var path = await _service.Services.GetRequiredService<MediaMtxClient>().GetPathAsync(Path, ct);
        return ingestRunning || path is { IsReady: true } || (path?.Readers.Count ?? 0) > 0;
    }
}

/// <summary>
/// The floor: MediaMTX alone, its path publishing on demand by running the ingest's own ffmpeg command itself
/// (<c>runOnDemand</c>), anyone may read. What the service adds is the difference to this.
/// </summary>
internal sealed class BareTarget : LatencyTarget
{
    private readonly Process _process;
    private readonly TempDirectory _dir;
    private readonly HttpClient _api = new();

    private BareTarget(Process process, TempDirectory dir, RealMediaMtx.Ports ports)
        : base(ports)
    {
        _process = process;
        _dir = dir;
    }

    public override string Label => "floor";
    public override string? Token => null;
    public override string RtspUrl => $"rtsp://127.0.0.1:{Ports.Rtsp}/{Path}";
    public int Pid => _process.Id;

    public static async Task<BareTarget> StartAsync(string binary, TestPatternSource pattern, CancellationToken ct)
    {
        var ports = RealMediaMtx.Ports.Allocate();
        var dir = new TempDirectory("floor-mediamtx");
        // runOnDemand is split by MediaMTX, not by a shell; the drawtext filter has spaces and quotes, so a script execs it.
        var script = dir.Combine("publish.sh");
        var args = IngestArguments(pattern, $"rtsp://127.0.0.1:{ports.Rtsp}/{Path}").Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'");
        await File.WriteAllTextAsync(script, "#!/bin/sh\nexec ffmpeg " + string.Join(' ', args) + "\n", ct);
        var config = dir.Combine("mediamtx.yml");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            logLevel: warn
            api: true
            apiAddress: 127.0.0.1:{ports.Api}
            metrics: false
            pprof: false
            playback: false
            rtsp: true
            rtspTransports: [udp, tcp]
            rtspAddress: :{ports.Rtsp}
            rtpAddress: :{ports.Rtp}
            rtcpAddress: :{ports.Rtp + 1}
            rtmp: false
            hls: true
            hlsAddress: :{ports.Hls}
            hlsMuxerCloseAfter: 10s
            webrtc: true
            webrtcAddress: :{ports.WebRtc}
            webrtcLocalUDPAddress: :{ports.WebRtcUdp}
            srt: false
            moq: false
            paths:
              {Path}:
                runOnDemand: sh {script}
                runOnDemandStartTimeout: 10s
                runOnDemandCloseAfter: 1s
            """), ct);
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir.Path };
        info.ArgumentList.Add(config);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var target = new BareTarget(process, dir, ports);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await target._api.GetAsync(new Uri($"http://127.0.0.1:{ports.Api}/v3/paths/list"), ct);
                if (response.IsSuccessStatusCode)
                {
                    return target;
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                // Not listening yet.
            }

            await Task.Delay(100, ct);
        }
    }

    public override async Task<IAsyncDisposable> HoldAsync(CancellationToken ct)
    {
        var reader = new FfmpegWithProgress(["-loglevel", "error", "-rtsp_transport", "tcp", "-i", RtspUrl, "-c", "copy", "-f", "null", "-"]);
        while (!await IsReadyAsync(ct))
        {
            await Task.Delay(100, ct);
        }

        return new Hold(() => reader.DisposeAsync().AsTask());
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _api.Dispose();
        _dir.Dispose();
    }

    protected override async Task<bool> IsBusyAsync(CancellationToken ct)
    {
        var path = await GetPathAsync(ct);
        return path.GetProperty("ready").GetBoolean() || path.GetProperty("readers").GetArrayLength() > 0;
    }

    private async Task<bool> IsReadyAsync(CancellationToken ct) => (await GetPathAsync(ct)).GetProperty("ready").GetBoolean();

    private async Task<JsonElement> GetPathAsync(CancellationToken ct) =>
        await _api.GetFromJsonAsync<JsonElement>(new Uri($"http://127.0.0.1:{Ports.Api}/v3/paths/get/{Path}"), ct);
}

internal sealed class Hold(Func<Task> release) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await release();
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VideoSensor.Media;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Media.Real;

/// <summary>
/// A test service managing the real MediaMTX binary on its own free ports, with helpers that read its streams
/// the way clients do (addresses on 127.0.0.1: the URLs the API gives name the configured public host).
/// </summary>
internal sealed class RealDataPlane : IAsyncDisposable
{
    private RealDataPlane(TestService service, RealMediaMtx.Ports ports)
    {
        Service = service;
        Ports = ports;
    }

    public TestService Service { get; }
    public RealMediaMtx.Ports Ports { get; }
    public MediaMtxClient Api => Service.Services.GetRequiredService<MediaMtxClient>();
    public MediaMtxState State => Service.Services.GetRequiredService<MediaMtxState>();
    public MediaOptions Media => Service.Services.GetRequiredService<IOptions<MediaOptions>>().Value;

    public string Rtsp(string path, string? query = null) => $"rtsp://127.0.0.1:{Ports.Rtsp}/{path}{query}";
    public string RtspWithPassword(string path, string user, string password) => $"rtsp://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@127.0.0.1:{Ports.Rtsp}/{path}";
    public string Hls(string path, string? query = null) => $"http://127.0.0.1:{Ports.Hls}/{path}/index.m3u8{query}";
    public string Whep(string path) => $"http://127.0.0.1:{Ports.WebRtc}/{path}/whep";

    /// <summary>The real binary, or a skip naming why there is none (a failure in CI).</summary>
    public static string RequireBinary()
    {
        if (RealMediaMtx.Binary is { } binary)
        {
            return binary;
        }

        if (RealMediaMtx.InCi)
        {
            Assert.Fail(RealMediaMtx.WhyUnavailable + " (CI must run the real-server tests)");
        }

        Assert.Skip(RealMediaMtx.WhyUnavailable!);
        return "";
    }

    /// <summary>Starts the service with the real MediaMTX; <paramref name="yaml"/> adds sections (cameras: …). Waits until every camera's path exists.</summary>
    public static async Task<RealDataPlane> StartAsync(string? yaml, IReadOnlyList<string> paths, CancellationToken ct, int autoCloseAfter = 300, TempDirectory? root = null)
    {
        var ports = RealMediaMtx.Ports.Allocate();
        var service = await TestService.StartAsync(TestService.MergeSections(RealMediaMtx.Yaml(RequireBinary(), ports, autoCloseAfter), yaml), root: root, cancellationToken: ct);
        var plane = new RealDataPlane(service, ports);
        try
        {
            await ExternalMediaMtx.WaitUntilRunningAsync(plane.State, TimeSpan.FromSeconds(30));
            await plane.WaitForPathsAsync(paths, TimeSpan.FromSeconds(30), ct);
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }

        return plane;
    }

    /// <summary>An operator's connection that has called start_streaming on <paramref name="device"/> and seen MediaMTX report it available.</summary>
    public async Task<RpcTestClient> StreamingAsync(string device, CancellationToken ct)
    {
        var client = await Service.ConnectAsync("operator", ct);
        (await client.CallAsync("start_streaming", new { device }, ct)).EnsureSuccess();
        await WaitForAvailableAsync(device, TimeSpan.FromSeconds(20), ct);
        return client;
    }

    /// <summary>Waits until MediaMTX has a configured path for each name.</summary>
    public async Task WaitForPathsAsync(IReadOnlyList<string> paths, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        while (true)
        {
            try
            {
                var configured = (await Api.ListPathConfigsAsync(deadline.Token)).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                if (paths.All(configured.Contains))
                {
                    return;
                }
            }
            catch (MediaMtxException)
            {
                // Restarting: ask again.
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    /// <summary>Waits until MediaMTX reports the path available (media flowing).</summary>
    public async Task<MtxPath> WaitForAvailableAsync(string path, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        while (true)
        {
            try
            {
                if (await Api.GetPathAsync(path, deadline.Token) is { IsReady: true } ready)
                {
                    return ready;
                }
            }
            catch (MediaMtxException)
            {
                // Restarting: ask again.
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    public ValueTask DisposeAsync() => Service.DisposeAsync();
}

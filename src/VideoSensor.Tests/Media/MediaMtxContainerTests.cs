using System.Net;
using System.Text;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Media;

/// <summary>
/// The same scenarios against the real bluenviron/mediamtx image, for machines with Docker: the service
/// reconciles its paths into it, the test pattern ingest publishes, and RTSP, HLS and WHEP serve it.
/// </summary>
public sealed class MediaMtxContainerTests
{
    private const string Image = "bluenviron/mediamtx:1.20.1";

    // Open permissions inside the container: the test reaches it through Docker's port mapping, not loopback.
    private const string Config = """
        logStructured: true
        api: true
        apiAddress: :9997
        rtspTransports: [tcp]
        authMethod: internal
        authInternalUsers:
          - user: any
            pass:
            ips: []
            permissions:
              - action: publish
              - action: read
              - action: playback
              - action: api
        paths: {}
        """;

    private static async Task<IContainer> StartMediaMtxAsync(CancellationToken ct)
    {
        var container = new ContainerBuilder(Image)
            .WithResourceMapping(Encoding.UTF8.GetBytes(Config), "/mediamtx.yml")
            .WithPortBinding(9997, assignRandomHostPort: true)
            .WithPortBinding(8554, assignRandomHostPort: true)
            .WithPortBinding(8888, assignRandomHostPort: true)
            .WithPortBinding(8889, assignRandomHostPort: true)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(r => r.ForPort(9997).ForPath("/v3/info")))
            .Build();
        await container.StartAsync(ct);
        return container;
    }

    [Fact]
    public async Task Test_pattern_is_served_over_rtsp_hls_and_whep_by_real_MediaMTX()
    {
        if (DockerEngine.WhyUnavailable() is { } reason)
        {
            Assert.Skip(reason);
        }

        var ct = TestContext.Current.CancellationToken;
        await using var container = await StartMediaMtxAsync(ct);
        int Mapped(int port) => container.GetMappedPublicPort(port);
        await using var service = await TestService.StartAsync($"""
            media:
              rtsp_port: {Mapped(8554)}
              hls_port: {Mapped(8888)}
              webrtc_port: {Mapped(8889)}
              mediamtx:
                mode: external
                api_address: 127.0.0.1:{Mapped(9997)}
                reconcile_interval_seconds: 1
            """, cancellationToken: ct);
        await ExternalMediaMtx.WaitUntilRunningAsync(service.Services.GetRequiredService<MediaMtxState>(), TimeSpan.FromSeconds(60));
        await using var client = await service.ConnectAsync("operator", ct);

        (await client.CallAsync("start_streaming", new { device = "test0" }, ct)).EnsureSuccess();
        var ready = false;
        for (var i = 0; i < 60 && !ready; i++)
        {
            // Real MediaMTX: readiness arrives when the ingest's first frames do; no event to wait on from outside.
            ready = (await client.CallAsync("get_stream_url", new { device = "test0" }, ct)).EnsureSuccess().Result.GetProperty("available").GetBoolean();
            if (!ready)
            {
                await Task.Delay(500, ct);
            }
        }

        using var dir = new TempDirectory();
        var clip = dir.Combine("clip.mp4");
        using (var ffmpeg = System.Diagnostics.Process.Start("ffmpeg", ["-hide_banner", "-loglevel", "error", "-rtsp_transport", "tcp", "-i", $"rtsp://127.0.0.1:{Mapped(8554)}/test0", "-t", "2", "-c", "copy", "-y", clip]))
        {
            await ffmpeg.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
        }

        using var http = new HttpClient();
        var playlist = await http.GetStringAsync($"http://127.0.0.1:{Mapped(8888)}/test0/index.m3u8", ct);
        using var whep = new StringContent(WhepOffer, Encoding.UTF8, "application/sdp");
        using var answer = await http.PostAsync($"http://127.0.0.1:{Mapped(8889)}/test0/whep", whep, ct);
        var streams = (await client.CallAsync("get_streams", cancellationToken: ct)).EnsureSuccess().Result;

        Assert.True(ready);
        Assert.Equal("h264", (await Ffprobe.ProbeAsync(clip, ct)).Codec);
        Assert.StartsWith("#EXTM3U", playlist, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        Assert.Contains("m=video", await answer.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Contains(streams.GetProperty("streams").EnumerateArray(), s => s.GetProperty("name").GetString() == "test0" && s.GetProperty("ready").GetBoolean());
    }

    private const string WhepOffer = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n" +
        "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=recvonly\r\na=rtcp-mux\r\n" +
        "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n" +
        "a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF\r\n" +
        "a=setup:actpass\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n";
}

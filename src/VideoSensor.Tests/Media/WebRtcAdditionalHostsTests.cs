using Microsoft.Extensions.Options;
using VideoSensor.Configuration;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Storage;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Media.Real;
using YamlDotNet.RepresentationModel;

namespace VideoSensor.Tests.Media;

/// <summary>
/// <c>media.webrtc_additional_hosts</c> — the address a WebRTC client outside the pod reaches (deploy/k8s sets it to the
/// node's IP through <c>VIDEOSENSOR__MEDIA__WEBRTC_ADDITIONAL_HOSTS__0</c>) — reaches the generated MediaMTX config, and
/// the real MediaMTX offers it as an ICE candidate on the WebRTC UDP port in its WHEP answer.
/// </summary>
public sealed class WebRtcAdditionalHostsTests
{
    // Documentation addresses (RFC 5737): only written into an SDP answer, never contacted.
    private const string NodeIp = "198.51.100.7";
    private const string FromFile = "203.0.113.9";

    [Fact]
    public void File_and_environment_style_overrides_reach_the_generated_mediamtx_config()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("c.yaml");
        File.WriteAllText(path, $"security:\n  dev_mode: true\nmedia:\n  webrtc_additional_hosts: [\"{FromFile}\"]\n");

        // The environment layer binds the same way as this override (VIDEOSENSOR__MEDIA__WEBRTC_ADDITIONAL_HOSTS__1).
        var loaded = ConfigLoader.Load(path, [KeyValuePair.Create<string, string?>("media:webrtc_additional_hosts:1", NodeIp)], readEnvironment: false);
        var writer = new MediaMtxConfigWriter(Options.Create(loaded.Options.Media), Options.Create(new StorageOptions { Root = dir.Path }), Options.Create(new ServerOptions()));

        var yaml = new YamlStream();
        yaml.Load(new StringReader(writer.Render()));
        var hosts = (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("webrtcAdditionalHosts")];

        Assert.Equal([FromFile, NodeIp], hosts.Children.Select(n => ((YamlScalarNode)n).Value));
    }

    [Fact]
    public void Default_offers_no_additional_host()
    {
        var writer = new MediaMtxConfigWriter(Options.Create(new VideoSensor.Media.MediaOptions()), Options.Create(new StorageOptions { Root = "/tmp/x" }), Options.Create(new ServerOptions()));

        Assert.Contains("webrtcAdditionalHosts: []", writer.Render(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://10.0.0.5")]
    [InlineData("10.0.0.5:8189")]
    [InlineData("")]
    public void Something_that_is_not_an_address_is_a_config_error(string host)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("c.yaml");
        File.WriteAllText(path, $"media:\n  webrtc_additional_hosts: [\"{host}\"]\n");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, readEnvironment: false));

        Assert.Contains("media.webrtc_additional_hosts", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not an IP address or host name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Real_mediamtx_offers_the_additional_host_on_the_webrtc_udp_port()
    {
        var ct = TestContext.Current.CancellationToken;
        const string camera = """
            cameras:
              test_patterns:
                - id: bars
                  name: Bars
                  pattern: smptebars
                  resolution: 320x240
                  fps: 10
            media:
              webrtc_additional_hosts: ["198.51.100.7"]
            """;
        await using var plane = await RealDataPlane.StartAsync(camera, ["bars"], ct);
        await using var client = await plane.StreamingAsync("bars", ct);
        var token = await plane.Service.TokenAsync("viewer");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        using var request = new HttpRequestMessage(HttpMethod.Post, plane.Whep("bars")) { Content = new StringContent(Offer) };
        request.Content.Headers.ContentType = new("application/sdp");
        request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request, ct);
        var answer = await response.Content.ReadAsStringAsync(ct);

        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"WHEP answered {(int)response.StatusCode}: {answer}");
        var candidates = answer.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("a=candidate:", StringComparison.Ordinal)).ToList();
        // a=candidate:<foundation> <component> udp <priority> <address> <port> typ host
        Assert.Contains(candidates, c => c.Split(' ') is [_, _, var transport, _, NodeIp, var port, "typ", "host", ..]
            && transport.Equals("udp", StringComparison.OrdinalIgnoreCase) && port == plane.Media.WebRtcUdpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A browser's recvonly H.264 offer, trimmed to what a WHEP server needs (the fingerprint is only checked at DTLS, which never starts).</summary>
    private const string Offer =
        "v=0\r\n" +
        "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n" +
        "s=-\r\n" +
        "t=0 0\r\n" +
        "a=group:BUNDLE 0\r\n" +
        "a=msid-semantic: WMS\r\n" +
        "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n" +
        "c=IN IP4 0.0.0.0\r\n" +
        "a=rtcp:9 IN IP4 0.0.0.0\r\n" +
        "a=ice-ufrag:vSnr\r\n" +
        "a=ice-pwd:ZBMRvKL1tcAeIXdqTW9uTdGJ\r\n" +
        "a=ice-options:trickle\r\n" +
        "a=fingerprint:sha-256 8B:87:09:8A:5D:C2:F3:33:EF:C5:B1:F6:84:3A:3D:D6:A3:E2:9C:17:4C:E7:46:3B:1B:CE:84:98:DD:8E:AF:7B\r\n" +
        "a=setup:actpass\r\n" +
        "a=mid:0\r\n" +
        "a=recvonly\r\n" +
        "a=rtcp-mux\r\n" +
        "a=rtcp-rsize\r\n" +
        "a=rtpmap:96 H264/90000\r\n" +
        "a=rtcp-fb:96 nack\r\n" +
        "a=rtcp-fb:96 nack pli\r\n" +
        "a=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n";
}

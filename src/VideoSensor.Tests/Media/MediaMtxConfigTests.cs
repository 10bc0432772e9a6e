using Microsoft.Extensions.Options;
using VideoSensor.Configuration;
using VideoSensor.Media;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Storage;
using VideoSensor.Tests.Media.Contract;
using YamlDotNet.RepresentationModel;

namespace VideoSensor.Tests.Media;

/// <summary>The generated mediamtx.yml uses only MediaMTX's own keys, and the options refuse a non-loopback API.</summary>
public sealed class MediaMtxConfigTests
{
    private static MediaMtxConfigWriter Writer(int servicePort = 8002) => new(
        Options.Create(new MediaOptions { RtspPort = 18554, HlsPort = 18888, WebRtcPort = 18889, RtpPort = 18000, WebRtcUdpPort = 18189 }),
        Options.Create(new StorageOptions { Root = "/tmp/x" }),
        Options.Create(new ServerOptions { Port = servicePort }));

    private static YamlMappingNode Parse(string text)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    [Fact]
    public void Every_generated_key_exists_in_the_default_mediamtx_yml()
    {
        var defaults = Parse(File.ReadAllText(OpenApiSpec.ContractPath("mediamtx.default.yml")));
        var generated = Parse(Writer().Render());

        var unknown = generated.Children.Keys.Select(k => ((YamlScalarNode)k).Value).Where(k => !defaults.Children.ContainsKey(new YamlScalarNode(k))).ToList();

        Assert.Empty(unknown);
        Assert.True(generated.Children.Count >= 20);
    }

    [Fact]
    public void Api_is_loopback_and_auth_calls_back_to_the_service()
    {
        var generated = Parse(Writer(servicePort: 9100).Render());
        string Value(string key) => ((YamlScalarNode)generated.Children[new YamlScalarNode(key)]).Value!;

        Assert.Equal("127.0.0.1:9997", Value("apiAddress"));
        Assert.Equal("http", Value("authMethod"));
        Assert.Equal("http://127.0.0.1:9100/internal/mediamtx/auth", Value("authHTTPAddress"));
        Assert.Equal(":18554", Value("rtspAddress"));
        Assert.Equal(":18888", Value("hlsAddress"));
        Assert.Equal(":18889", Value("webrtcAddress"));
        Assert.Equal((":18000", ":18001", ":18189"), (Value("rtpAddress"), Value("rtcpAddress"), Value("webrtcLocalUDPAddress")));
        Assert.Equal("true", Value("logStructured"));
    }

    [Theory]
    [InlineData("0.0.0.0:9997")]
    [InlineData("192.168.1.5:9997")]
    [InlineData(":9997")]
    [InlineData("localhost")]
    public void A_non_loopback_api_address_is_a_config_error(string address)
    {
        using var dir = new Fixtures.TempDirectory();
        var path = dir.Combine("c.yaml");
        File.WriteAllText(path, $"media:\n  mediamtx:\n    api_address: \"{address}\"\n");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, readEnvironment: false));

        Assert.Contains("media.mediamtx.api_address", ex.Message, StringComparison.Ordinal);
        Assert.Contains("loopback", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("media:\n  mediamtx:\n    mode: sometimes\n", "media.mediamtx.mode", "managed, external or disabled")]
    [InlineData("media:\n  rtp_port: 8001\n", "media.rtp_port", "even")]
    public void Bad_media_settings_are_config_errors(string yaml, string key, string reason)
    {
        using var dir = new Fixtures.TempDirectory();
        var path = dir.Combine("c.yaml");
        File.WriteAllText(path, yaml);

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, readEnvironment: false));

        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }
}

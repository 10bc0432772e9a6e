using VideoSensor.Hosting.Configuration;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Hosting;

public sealed class ConfigLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Write(string yaml)
    {
        var path = _dir.Combine($"{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void Default_config_is_valid_and_has_a_test_pattern_camera()
    {
        var config = ConfigLoader.Load(null, readEnvironment: false);

        Assert.Equal(8002, config.Options.Server.Port);
        Assert.True(config.Options.Security.DevMode);
        var camera = Assert.Single(config.Options.Cameras.TestPatterns);
        Assert.Equal("test0", camera.Id);
    }

    [Fact]
    public void Unknown_key_is_named_with_its_line()
    {
        var path = Write("server:\n  port: 8002\n  prot: 9000\n");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, readEnvironment: false));

        Assert.Equal("config error: server.prot (line 3): unknown key", ex.Message);
    }

    [Fact]
    public void Unknown_key_inside_a_list_item_is_named()
    {
        var path = Write("security:\n  dev_mode: true\ncameras:\n  rtsp:\n    - id: door\n      url: rtsp://10.0.0.5/stream\n      pasword: x\n");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, readEnvironment: false));

        Assert.Contains("cameras.rtsp.0.pasword (line 7): unknown key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_of_the_wrong_type_is_named()
    {
        var path = Write("security:\n  dev_mode: true\nserver:\n  port: eighty\n");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, readEnvironment: false));

        Assert.StartsWith("config error: server.port (line 4):", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_value_is_named_with_its_line_and_rule()
    {
        var path = Write("security:\n  dev_mode: true\nserver:\n  port: 70000\n");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, readEnvironment: false));

        Assert.Contains("server.port (line 4)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("between 1 and 65535", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_syntax_error_reports_the_line()
    {
        var path = Write("server:\n  port: 8002\n   bad indent: [\n");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, readEnvironment: false));

        Assert.Matches(@"line \d+", ex.Message);
        Assert.DoesNotContain("   at ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inline_rtsp_credentials_are_rejected()
    {
        var path = Write("security:\n  dev_mode: true\ncameras:\n  rtsp:\n    - id: door\n      url: rtsp://admin:hunter22@10.0.0.5/stream\n");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, readEnvironment: false));

        Assert.Contains("cameras.rtsp.0.url", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter22", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_camera_ids_are_rejected()
    {
        var path = Write("security:\n  dev_mode: true\ncameras:\n  test_patterns:\n    - id: a\n  rtsp:\n    - id: a\n      url: rtsp://10.0.0.5/s\n");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, readEnvironment: false));

        Assert.Contains("'a' is used more than once", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_jwt_secret_is_required_outside_dev_mode()
    {
        var path = Write("server:\n  port: 8002\n");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, readEnvironment: false));

        Assert.Contains("security.jwt_secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overrides_win_over_the_file()
    {
        var path = Write("security:\n  dev_mode: true\nserver:\n  port: 8002\n");

        var config = ConfigLoader.Load(path, [new("server:port", "9100")], readEnvironment: false);

        Assert.Equal(9100, config.Options.Server.Port);
    }

    [Fact]
    public void Missing_file_is_a_clear_error()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(_dir.Combine("nope.yaml"), readEnvironment: false));

        Assert.Contains("cannot read the config file", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}

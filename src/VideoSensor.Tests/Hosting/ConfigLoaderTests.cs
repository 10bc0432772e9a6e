using VideoSensor.Configuration;
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
        var path = Write("server:\n  port: 8002\n  prot: 9000\nsecurity:\n  dev_mode: true\n");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, readEnvironment: false));

        Assert.Equal($"config error: server.prot ({path}:3): unknown key", ex.Message);
    }

    [Fact]
    public void Unknown_key_inside_a_list_item_is_named()
    {
        var path = Write("security:\n  dev_mode: true\ncameras:\n  rtsp:\n    - id: door\n      url: rtsp://10.0.0.5/stream\n      pasword: x\n");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, readEnvironment: false));

        Assert.Contains($"cameras.rtsp.0.pasword ({path}:7): unknown key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_of_the_wrong_type_is_named()
    {
        var path = Write("security:\n  dev_mode: true\nserver:\n  port: eighty\n");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, readEnvironment: false));

        Assert.Equal($"config error: server.port ({path}:4): must be a whole number", ex.Message);
    }

    [Fact]
    public void Out_of_range_value_is_named_with_its_line_and_rule()
    {
        var path = Write("security:\n  dev_mode: true\nserver:\n  port: 70000\n");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, readEnvironment: false));

        Assert.Equal($"config error: server.port ({path}:4): must be between 1 and 65535", ex.Message);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("101")]
    public void A_percentage_that_is_not_a_number_from_0_to_100_is_named_not_thrown(string value)
    {
        // "NaN" parses as a double; the range check must refuse it with the rule, not crash the loader.
        var path = Write($"security:\n  dev_mode: true\nstorage:\n  low_space_percent: {value}\n");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, readEnvironment: false));

        Assert.Equal($"config error: storage.low_space_percent ({path}:4): must be between 0 and 100", ex.Message);
    }

    [Fact]
    public void Yaml_syntax_error_reports_the_line()
    {
        var path = Write("server:\n  port: 8002\n   bad indent: [\n");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, readEnvironment: false));

        Assert.StartsWith($"config error: {path}:3: YAML syntax error: ", ex.Message, StringComparison.Ordinal);
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

    [Fact]
    public void Every_kind_of_problem_is_reported_in_one_pass_each_with_its_line()
    {
        var path = Write("""
            security:
              dev_mode: true
            server:
              prot: 9000
              max_connections: many
              keep_alive_seconds: 0
            cameras:
              test_patterns:
                - id: "-front door"
                - id: a
              rtsp:
                - id: a
                  url: rtsp://admin:hunter22@10.0.0.5/s
                  fps: 1000
            logging:
              format: [text]
            """);

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, readEnvironment: false));

        // Unknown key, type, range, pattern, object rules (duplicate ids; credentials in the URL next to a range
        // error of the same camera) and a list where a value belongs: all at once, in file order.
        Assert.Equal(
            [
                $"config error: server.prot ({path}:4): unknown key",
                $"config error: server.max_connections ({path}:5): must be a whole number",
                $"config error: server.keep_alive_seconds ({path}:6): must be between 1 and 3600",
                $"config error: cameras.test_patterns.0.id ({path}:9): must match {VideoSensor.Cameras.CameraIds.Pattern}",
                $"config error: cameras.rtsp ({path}:11): camera id 'a' is used more than once",
                $"config error: cameras.rtsp.0.url ({path}:13): must not contain credentials: reference them with username/password {{secret, key}}",
                $"config error: cameras.rtsp.0.fps ({path}:14): must be between 1 and 120",
                $"config error: logging.format ({path}:16): must be a single value, not a section or a list",
            ],
            ex.Message.Split(Environment.NewLine));
        Assert.DoesNotContain("hunter22", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_problem_set_by_an_override_names_the_override_not_the_files_line()
    {
        var path = Write("security:\n  dev_mode: true\nserver:\n  port: 8002\n");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, [new("server:port", "abc")], readEnvironment: false));

        Assert.Equal("config error: server.port (override): must be a whole number", ex.Message);
    }

    [Fact]
    public void The_keys_above_a_syntax_error_are_still_checked()
    {
        var path = Write("security:\n  dev_mode: true\nserver:\n  prot: 1\nlogging:\n  level: [Debug, \n");

        var lines = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, readEnvironment: false)).Message.Split(Environment.NewLine);

        Assert.Equal(2, lines.Length);
        Assert.Equal($"config error: server.prot ({path}:4): unknown key", lines[0]);
        Assert.StartsWith($"config error: {path}:", lines[1], StringComparison.Ordinal);
        Assert.Contains("YAML syntax error", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void No_validation_message_goes_through_string_format_with_braces_in_it()
    {
        // A brace in ErrorMessage is a format item: "{0,63}" printed the field name padded to 63 characters.
        // Only the attribute's own placeholders ({0} the field, {1}, {2} its arguments) belong there.
        var offenders = typeof(ConfigLoader).Assembly.GetTypes()
            .SelectMany(t => t.GetProperties())
            .SelectMany(p => p.GetCustomAttributes(typeof(System.ComponentModel.DataAnnotations.ValidationAttribute), false)
                .Cast<System.ComponentModel.DataAnnotations.ValidationAttribute>()
                .Where(a => a.ErrorMessage is { } m && System.Text.RegularExpressions.Regex.IsMatch(m.Replace("{0}", "", StringComparison.Ordinal).Replace("{1}", "", StringComparison.Ordinal).Replace("{2}", "", StringComparison.Ordinal), "[{}]"))
                .Select(a => $"{p.DeclaringType!.Name}.{p.Name}: {a.ErrorMessage}"))
            .ToList();

        Assert.Empty(offenders);
    }

    public void Dispose() => _dir.Dispose();
}

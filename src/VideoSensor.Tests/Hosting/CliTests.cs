using System.Globalization;
using System.Text.Json;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Hosting;

public sealed class CliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Check_config_reports_a_bad_file_in_one_line_and_fails()
    {
        var path = _dir.Combine("bad.yaml");
        await File.WriteAllTextAsync(path, "security:\n  dev_mode: true\nserver:\n  port: -1\n", TestContext.Current.CancellationToken);

        var (exit, stdout, stderr) = await ServiceProcess.RunCliAsync(["check-config", path], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"config error: server.port ({path}:4): must be between 1 and 65535", line);
    }

    [Fact]
    public async Task Check_config_accepts_the_default()
    {
        // Free ports and a fresh storage root: check-config also checks that this machine can run the config.
        var env = new Dictionary<string, string>
        {
            ["VIDEOSENSOR__SERVER__PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["VIDEOSENSOR__SERVER__HEALTH_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["VIDEOSENSOR__STORAGE__ROOT"] = _dir.Combine("storage"),
        };
        var (exit, stdout, stderr) = await ServiceProcess.RunCliAsync(["check-config"], env, TestContext.Current.CancellationToken);

        Assert.True(exit == 0, stderr);
        Assert.Contains("OK (1 configured cameras)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Running_with_a_bad_config_fails_with_one_line_and_no_stack_trace()
    {
        var path = _dir.Combine("bad.yaml");
        await File.WriteAllTextAsync(path, "security:\n  dev_mode: true\nlogging:\n  format: xml\n", TestContext.Current.CancellationToken);

        var (exit, _, stderr) = await ServiceProcess.RunCliAsync(["--config", path], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"config error: logging.format ({path}:4): must be text or json", line);
    }

    [Fact]
    public async Task Missing_ffmpeg_is_a_clear_one_line_error()
    {
        var env = new Dictionary<string, string>
        {
            ["VIDEOSENSOR__MEDIA__FFMPEG_PATH"] = "/nonexistent/ffmpeg",
            ["VIDEOSENSOR__STORAGE__ROOT"] = _dir.Combine("storage"),
            ["VIDEOSENSOR__SERVER__PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["VIDEOSENSOR__SERVER__HEALTH_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        var (exit, _, stderr) = await ServiceProcess.RunCliAsync([], env, TestContext.Current.CancellationToken);

        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("config error: media.ffmpeg_path: /nonexistent/ffmpeg was not found (install the Debian package ffmpeg, or set media.ffmpeg_path / media.ffprobe_path)", line);
    }

    [Fact]
    public async Task Token_rejects_an_unknown_role()
    {
        var (exit, stdout, stderr) = await ServiceProcess.RunCliAsync(["token", "--role", "root"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("--role must be viewer, operator or admin", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public async Task Help_prints_usage_and_exits(string flag)
    {
        var (exit, stdout, _) = await ServiceProcess.RunCliAsync([flag], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        foreach (var command in (string[])["run", "token", "check-config", "call"])
        {
            Assert.Contains($"  {command} ", stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("token", "--role <viewer|operator|admin>")]
    [InlineData("check-config", "<PATH>")]
    [InlineData("call", "<METHOD>")]
    [InlineData("run", "--config <PATH>")]
    public async Task Each_command_has_its_own_help(string command, string expected)
    {
        var (exit, stdout, _) = await ServiceProcess.RunCliAsync([command, "--help"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        Assert.Contains($"VideoSensor {command}", stdout, StringComparison.Ordinal);
        Assert.Contains(expected, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_the_version_and_starts_nothing()
    {
        // The default config's ports are taken by a listener of this test: a service starting would fail on them.
        var (exit, stdout, stderr) = await ServiceProcess.RunCliAsync(["--version"], OwnStorage(), TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Matches(@"^\d+\.\d+\.\d+(\+[0-9a-f]+)?\n$", stdout);
        Assert.False(Directory.Exists(_dir.Combine("storage")), "--version must not start the service (it creates its storage)");
    }

    [Theory]
    [InlineData(new[] { "--cofnig", "x.yaml" }, "'--cofnig'")]
    [InlineData(new[] { "frobnicate" }, "'frobnicate'")]
    [InlineData(new[] { "run", "--port", "9000" }, "'--port'")]
    [InlineData(new[] { "token", "--role", "admin", "--tll", "1h" }, "'--tll'")]
    [InlineData(new[] { "check-config", "--strict" }, "'--strict'")]
    [InlineData(new[] { "call" }, "METHOD")]
    [InlineData(new[] { "call", "take_snapshot", "[1, 2]" }, "PARAMS must be one JSON object")]
    public async Task Unknown_words_are_errors_that_name_them_with_exit_2_and_start_nothing(string[] args, string named)
    {
        var (exit, stdout, stderr) = await ServiceProcess.RunCliAsync(args, OwnStorage(), TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains(named, stderr, StringComparison.Ordinal);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("storage")), "nothing may start on a usage error");
    }

    [Fact]
    public async Task Six_kinds_of_mistakes_give_six_lines_in_one_run()
    {
        var path = _dir.Combine("six.yaml");
        await File.WriteAllTextAsync(path, """
            security:
              dev_mode: true
            server:
              prot: 9000
              max_connections: many
              keep_alive_seconds: 0
            cameras:
              test_patterns:
                - id: "-front door"
            logging:
              level: Information
              extra: {unclosed: [1, 2

            """, TestContext.Current.CancellationToken);
        var environment = new Dictionary<string, string> { ["VIDEOSENSOR__SERVER__PORT"] = "abc" };

        var (exit, stdout, stderr) = await ServiceProcess.RunCliAsync(["check-config", path], environment, TestContext.Current.CancellationToken);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        Assert.Equal($"config error: server.prot ({path}:4): unknown key", lines[0]);
        Assert.Equal($"config error: server.max_connections ({path}:5): must be a whole number", lines[1]);
        Assert.Equal($"config error: server.keep_alive_seconds ({path}:6): must be between 1 and 3600", lines[2]);
        Assert.Equal($"config error: cameras.test_patterns.0.id ({path}:9): must match ^[A-Za-z0-9][A-Za-z0-9_-]{{0,63}}$", lines[3]);
        Assert.StartsWith($"config error: {path}:", lines[4], StringComparison.Ordinal);
        Assert.Contains("YAML syntax error", lines[4], StringComparison.Ordinal);
        Assert.Equal("config error: server.port (VIDEOSENSOR__SERVER__PORT): must be a whole number", lines[5]);
    }

    [Fact]
    public async Task Call_makes_one_json_rpc_call_with_a_dev_token_and_prints_the_result()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await ServiceProcess.StartAsync(null, ct);

        var ping = await CallAsync(service, ["call", "ping"], ct);
        var list = await CallAsync(service, ["call", "get_camera_list"], ct);
        var bad = await CallAsync(service, ["call", "get_camera_status", """{"device":"nope"}"""], ct);

        Assert.Equal((0, "\"pong\""), (ping.ExitCode, ping.StdOut.Trim()));
        Assert.Equal(0, list.ExitCode);
        using var cameras = JsonDocument.Parse(list.StdOut);
        Assert.Contains(cameras.RootElement.GetProperty("cameras").EnumerateArray(), c => c.GetProperty("device").GetString() == "test0");
        Assert.Equal(1, bad.ExitCode);
        Assert.Equal("", bad.StdOut);
        using var error = JsonDocument.Parse(bad.StdErr);
        Assert.Equal(-32010, error.RootElement.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Call_with_a_wrong_token_says_the_token_is_invalid()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await ServiceProcess.StartAsync(null, ct);

        var result = await CallAsync(service, ["call", "get_camera_list"], ct, token: "not-a-real-token");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("authenticate failed", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("the token is not valid", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("the API key is not known", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-real-token", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_without_a_running_service_fails_with_the_reason()
    {
        var environment = OwnStorage();
        environment["VIDEOSENSOR__SERVER__PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);

        var (exit, stdout, stderr) = await ServiceProcess.RunCliAsync(["call", "ping"], environment, TestContext.Current.CancellationToken);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Contains("cannot talk to ws://127.0.0.1:", stderr, StringComparison.Ordinal);
    }

    private Dictionary<string, string> OwnStorage() => new() { ["VIDEOSENSOR__STORAGE__ROOT"] = _dir.Combine("storage") };

    private static Task<(int ExitCode, string StdOut, string StdErr)> CallAsync(ServiceProcess service, string[] args, CancellationToken ct, string? token = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["VIDEOSENSOR__SERVER__PORT"] = service.Port.ToString(CultureInfo.InvariantCulture),
            ["VIDEOSENSOR__STORAGE__ROOT"] = service.StorageRoot,
        };
        if (token is not null)
        {
            environment["VIDEOSENSOR_TOKEN"] = token;
        }

        return ServiceProcess.RunCliAsync(args, environment, ct);
    }

    public void Dispose() => _dir.Dispose();
}

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
        Assert.StartsWith("config error: server.port (line 4):", line, StringComparison.Ordinal);
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
        Assert.Equal("config error: logging.format (line 4): must be text or json", line);
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
    [InlineData("help")]
    public async Task Help_prints_usage_and_exits(string flag)
    {
        var (exit, stdout, _) = await ServiceProcess.RunCliAsync([flag], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        Assert.Contains("check-config", stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using VideoSensor.Configuration;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Hosting;

/// <summary>
/// Config files and machines that once crashed the service or let it start broken: each is refused, by
/// <c>check-config</c> and at start, with one line naming the line or the key and exit code 1 (never 134).
/// </summary>
public sealed class ConfigSafetyTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly int _port = FreePort.Next();
    private readonly int _healthPort = FreePort.Next();

    public void Dispose() => _dir.Dispose();

    private string Base => $"server:\n  bind_address: 127.0.0.1\n  port: {_port}\n  health_port: {_healthPort}\nsecurity:\n  dev_mode: true\nstorage:\n  root: {_dir.Combine("storage")}\n";

    /// <summary>A classic "billion laughs": ten levels of nine aliases, 9^9 leaves from under 1 KB of text.</summary>
    internal static string BillionLaughs()
    {
        var sb = new StringBuilder("lol0: &lol0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var i = 1; i < 10; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"lol{i}: &lol{i} [{string.Join(",", Enumerable.Repeat($"*lol{i - 1}", 9))}]\n");
        }

        return sb.ToString();
    }

    public static TheoryData<string, string> BadFiles() => new()
    {
        { "syntax", "server:\n  health_port: [38003\n" },
        { "self alias", "cameras: &c\n  test_patterns: *c\n" },
        { "billion laughs", "" },
        { "oversize", "" },
        { "duplicate key", "server:\n  port: 1\n  port: 2\n" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_yaml_file_is_one_line_naming_the_line_and_exit_1(string kind, string yaml)
    {
        var ct = TestContext.Current.CancellationToken;
        var path = _dir.Combine("bad.yaml");
        var text = kind switch
        {
            "billion laughs" => BillionLaughs(),
            "oversize" => Base + string.Concat(Enumerable.Repeat("# padding padding padding padding padding padding padding padding\n", 20_000)),
            _ => yaml,
        };
        await File.WriteAllTextAsync(path, text, ct);

        foreach (var args in new[] { new[] { "check-config", path }, ["--config", path] })
        {
            var (exit, stdout, stderr) = await ServiceProcess.RunCliAsync(args, cancellationToken: ct);
            Assert.True(exit == 1, $"{kind} {args[0]}: exit {exit}\n{stderr}");
            // The YAML problem is one line naming its line; problems found in the same pass (e.g. a missing
            // jwt_secret in a file that sets no dev_mode) follow, one line each, and nothing is a stack trace.
            var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Matches(@"^config error: .*bad\.yaml:\d+: ", lines[0]);
            Assert.All(lines, l => Assert.StartsWith("config error: ", l, StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
            Assert.Equal("", stdout);
        }
    }

    [Fact]
    public void A_billion_laughs_file_is_refused_quickly_and_without_eating_memory()
    {
        var yaml = BillionLaughs();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();

        var ex = Assert.Throws<ConfigException>(() => YamlConfigFile.Parse(yaml, "laughs.yaml"));

        clock.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.Contains("more than", ex.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.True(allocated < 100L * 1024 * 1024, $"allocated {allocated / (1024 * 1024)} MB");
    }

    [Fact]
    public async Task Machine_problems_are_refused_one_line_each_naming_the_key()
    {
        var ct = TestContext.Current.CancellationToken;
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var busyPort = ((IPEndPoint)holder.LocalEndpoint).Port;
        var aFile = _dir.Combine("not-a-folder");
        await File.WriteAllTextAsync(aFile, "x", ct);
        (string Env, string Value, string Key)[] cases =
        [
            ("VIDEOSENSOR__SERVER__PORT", busyPort.ToString(CultureInfo.InvariantCulture), "server.port"),
            ("VIDEOSENSOR__SERVER__HEALTH_PORT", _port.ToString(CultureInfo.InvariantCulture), "server.health_port"),
            ("VIDEOSENSOR__STORAGE__ROOT", aFile, "storage.root"),
            ("VIDEOSENSOR__STORAGE__ROOT", Path.Combine(aFile, "storage"), "storage.root"),
            ("VIDEOSENSOR__STORAGE__ROOT", "/proc/1/videosensor-storage", "storage.root"),
            ("VIDEOSENSOR__MEDIA__FFMPEG_PATH", "/nonexistent/ffmpeg", "media.ffmpeg_path"),
            ("VIDEOSENSOR__MEDIA__FFPROBE_PATH", _dir.Combine("no-ffprobe"), "media.ffprobe_path"),
        ];
        var path = _dir.Combine("config.yaml");
        await File.WriteAllTextAsync(path, Base, ct);

        foreach (var (env, value, key) in cases)
        {
            foreach (var args in new[] { new[] { "check-config", path }, ["--config", path] })
            {
                var (exit, _, stderr) = await ServiceProcess.RunCliAsync(args, new Dictionary<string, string> { [env] = value }, ct);
                Assert.True(exit == 1, $"{key}={value} {args[0]}: exit {exit}\n{stderr}");
                var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                Assert.StartsWith($"config error: {key}: ", line, StringComparison.Ordinal);
            }
        }

        // And the same file on a machine that has everything passes.
        var (ok, stdout, errors) = await ServiceProcess.RunCliAsync(["check-config", path], cancellationToken: ct);
        Assert.True(ok == 0, errors);
        Assert.Contains("OK", stdout, StringComparison.Ordinal);
    }
}

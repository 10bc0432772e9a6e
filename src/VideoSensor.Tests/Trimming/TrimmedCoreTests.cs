using CliWrap;
using CliWrap.Buffered;
using Microsoft.Extensions.Options;
using VideoSensor.Configuration;
using VideoSensor.Media;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Storage;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Trimming;

/// <summary>
/// The core under the trimmer, not just its analyzers: src/VideoSensor.TrimProbe published trimmed (self-contained,
/// ILLink in full mode) loads configurations, writes a state file and renders mediamtx.yml. The first Native AOT build of
/// the service failed exactly here: with the option classes' properties trimmed, every key was "unknown".
/// </summary>
public sealed class TrimmedCoreTests(TrimmedProbe probe) : IClassFixture<TrimmedProbe>
{
    [Fact]
    public async Task An_unknown_key_is_refused_with_its_file_and_line()
    {
        var path = probe.Write("server:\n  port: 8002\n  prot: 9000\nsecurity:\n  dev_mode: true\n");

        var result = await probe.RunAsync("config", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"config error: server.prot ({path}:3): unknown key", result.StandardError.Trim());
    }

    [Fact]
    public async Task A_valid_config_loads_with_every_nested_section_list_and_reference_bound()
    {
        var path = probe.Write("""
            server:
              port: 9100
            security:
              dev_mode: true
              api_keys:
                - name: ops
                  sha256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                  role: operator
            cameras:
              test_patterns:
                - id: t1
                  fps: 5
              rtsp:
                - id: door
                  url: rtsp://10.0.0.5/s
                  password: {secret: cams, key: door}
              usb:
                assigned: ["046d:0825"]
            storage:
              root: /tmp/videosensor-trim-probe
              retention: {policy_type: age, max_age_days: 2.5}
            discovery:
              ports: [554]
            media:
              mediamtx:
                mode: external
            """);

        var result = await probe.RunAsync("config", path);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(
            [
                "port=9100 dev_mode=True api_keys=ops:operator test_patterns=t1@5 rtsp=door:cams/door usb_assigned=046d:0825 retention=age/2.5 discovery_ports=554 mediamtx=external",
                "options: port=9100 rtsp=1",
            ],
            result.StandardOutput.Trim().Split('\n'));
    }

    [Fact]
    public async Task The_option_classes_rules_survive_trimming()
    {
        var path = probe.Write("security:\n  dev_mode: true\nserver:\n  port: 70000\n  max_connections: many\ncameras:\n  rtsp:\n    - id: a\n      url: rtsp://u:p@x/s\n");

        var result = await probe.RunAsync("config", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            [
                $"config error: server.port ({path}:4): must be between 1 and 65535",
                $"config error: server.max_connections ({path}:5): must be a whole number",
                $"config error: cameras.rtsp.0.url ({path}:9): must not contain credentials: reference them with username/password {{secret, key}}",
            ],
            result.StandardError.Trim().Split('\n'));
    }

    [Fact]
    public async Task A_state_document_is_written_and_read_as_in_the_jit_build()
    {
        using var dir = new TempDirectory();
        var expected = new StateFile<List<VideoSensor.Cameras.Rtsp.StoredSource>>(dir.Combine("jit", "sources.json"));
        expected.Write([new() { Id = "door", Url = "rtsp://10.0.0.5/s", Username = new() { Secret = "s", Key = "u" }, AddedAt = DateTimeOffset.UnixEpoch, StreamType = "ip_camera" }]);

        var result = await probe.RunAsync("state", dir.Combine("trimmed"));

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(File.ReadAllText(expected.Path) + "\nread: s/u\n", result.StandardOutput);
    }

    [Fact]
    public async Task Mediamtx_yml_is_rendered_as_in_the_jit_build()
    {
        var writer = new MediaMtxConfigWriter(Options.Create(new MediaOptions { WebRtcAdditionalHosts = ["10.0.0.1", "x: y"] }), Options.Create(new StorageOptions()), Options.Create(new ServerOptions()));

        var result = await probe.RunAsync("mediamtx");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(writer.Render(), result.StandardOutput);
    }
}

/// <summary>The probe published trimmed once for the test class (about a minute on an idle machine).</summary>
public sealed class TrimmedProbe : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("videosensor-trim");

    private string Binary => _dir.Combine("publish", "VideoSensor.TrimProbe");

    public async ValueTask InitializeAsync()
    {
        var project = Path.Combine(RepositoryRoot(), "src", "VideoSensor.TrimProbe", "VideoSensor.TrimProbe.csproj");
        var rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        var result = await Cli.Wrap("dotnet")
            .WithArguments(["publish", project, "-c", "Release", "-r", rid, "-p:PublishTrimmed=true", "-o", _dir.Combine("publish"), "--nologo", "-v", "q"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0 && File.Exists(Binary), $"the trimmed publish failed:\n{result.StandardOutput}{result.StandardError}");
    }

    public string Write(string yaml)
    {
        var path = _dir.Combine($"{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    public Task<BufferedCommandResult> RunAsync(params string[] arguments) =>
        Cli.Wrap(Binary).WithArguments(arguments).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(TestContext.Current.CancellationToken).Task;

    public ValueTask DisposeAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DaprCamera.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("DaprCamera.sln not found above the test binaries");
    }
}

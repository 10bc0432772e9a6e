using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Media.Real;

namespace VideoSensor.Tests.Security;

/// <summary>
/// What <c>ps</c> shows while the service records and snapshots an RTSP camera that needs a password: never the
/// camera's credential, never the service's internal MediaMTX credential; the only credential in a command line is
/// an ingest's short-lived publish credential, and that is refused seconds after its first use.
/// </summary>
public sealed partial class NoCredentialInCommandLinesTests
{
    private const string User = "doorcam";

    /// <summary>The GStreamer camera with a random password, and the service config that reads it from a secrets file.</summary>
    private sealed class Door(RtspTestServer camera, TempDirectory dir, string password, string yaml) : IAsyncDisposable
    {
        public RtspTestServer Camera { get; } = camera;
        public string Password { get; } = password;
        public string Yaml { get; } = yaml;

        public static async Task<Door> StartAsync(CancellationToken ct)
        {
            var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            var dir = new TempDirectory();
            var secrets = dir.Combine("secrets.yaml");
            await File.WriteAllTextAsync(secrets, $"door-cam:\n  username: {User}\n  password: {password}\n", ct);
            var camera = await RtspTestServer.StartAsync(User, password, keyInt: 5);
            return new Door(camera, dir, password, RtspFeedYaml.Cameras(camera, "door", "door-cam") + $"""

                secrets:
                  file: {secrets}
                recording:
                  segment_seconds: 2
                """);
        }

        public async ValueTask DisposeAsync()
        {
            await Camera.DisposeAsync();
            dir.Dispose();
        }
    }

    [Fact]
    public async Task Through_the_real_MediaMTX_ps_shows_no_camera_or_internal_credential_and_a_seen_publish_credential_is_dead()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var door = await Door.StartAsync(ct);
        var password = door.Password;
        // Sampling from before the start: the first probe of the feed runs at once.
        var sampler = new CommandLineSampler();
        await using var plane = await RealDataPlane.StartAsync(door.Yaml, ["door", "test0"], ct);
        await using var client = await plane.Service.ConnectAsync("operator", ct);
        var internalPassword = plane.Service.Services.GetRequiredService<InternalCredential>().Password;

        IReadOnlyCollection<string> seen;
        await using (sampler)
        {
            await WaitConnectedAsync(plane.Service, "door", ct);
            await RecordAndSnapshotAsync(client, ["door", "test0"], ct);
            seen = sampler.Seen;
        }

        var ours = seen.Where(l => l.Contains(plane.Service.StorageRoot, StringComparison.Ordinal)).ToList();
        Assert.True(ours.Count(l => l.Contains("-f segment", StringComparison.Ordinal)) >= 2, "no recorder was seen: the sampler saw nothing of this service\n" + string.Join('\n', ours));
        AssertNoSecret(seen, password, internalPassword);

        // The ingest of test0 publishes with a credential in its URL: issued for that one start, dead after its first use.
        var publish = seen.Select(l => PublishUrl().Match(l)).FirstOrDefault(m => m.Success && m.Groups["port"].Value == plane.Ports.Rtsp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(publish is not null, "no ingest publishing to this MediaMTX was seen");
        Assert.StartsWith(VideoSensor.Security.ShortLivedCredentials.UserPrefix, publish!.Groups["user"].Value, StringComparison.Ordinal);
        await Task.Delay(VideoSensor.Security.ShortLivedCredentials.UseWindow + TimeSpan.FromSeconds(1), ct);
        var hijack = await PublishAsync(publish.Value, ct);
        Assert.NotEqual(0, hijack.ExitCode);
        Assert.Contains("401", hijack.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_MediaMTX_the_camera_is_read_directly_and_ps_still_shows_no_credential()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var door = await Door.StartAsync(ct);
        var password = door.Password;
        // Sampling from before the start: the first probe of the feed runs at once.
        var sampler = new CommandLineSampler();
        await using var service = await TestService.StartAsync(door.Yaml, cancellationToken: ct);
        await using var client = await service.ConnectAsync("operator", ct);
        Assert.False(service.Services.GetRequiredService<MediaMtxState>().IsRunning);

        IReadOnlyCollection<string> seen;
        await using (sampler)
        {
            await WaitConnectedAsync(service, "door", ct);
            await RecordAndSnapshotAsync(client, ["door"], ct);
            seen = sampler.Seen;
        }

        var recorders = seen.Where(l => l.Contains(service.StorageRoot, StringComparison.Ordinal) && l.Contains("-f segment", StringComparison.Ordinal)).ToList();
        Assert.Contains(recorders, l => l.Contains("-f concat", StringComparison.Ordinal) && l.Contains("pipe:0", StringComparison.Ordinal));
        Assert.Contains(seen, l => l.Contains("ffprobe", StringComparison.Ordinal) && l.Contains("-f concat", StringComparison.Ordinal));
        AssertNoSecret(seen, password, internalPassword: null);
        Assert.DoesNotContain(password, service.Logs.All, StringComparison.Ordinal);
    }

    private static Task WaitConnectedAsync(TestService service, string device, CancellationToken ct) =>
        Platform.CameraWait.UntilAsync(service.Services.GetRequiredService<VideoSensor.Cameras.CameraRegistry>(), device,
            c => c?.Status == VideoSensor.Cameras.CameraStatus.Connected, ct).WaitAsync(TimeSpan.FromSeconds(30), ct);

    /// <summary>A recording of a few seconds and a snapshot of each camera; the recording's files must hold video.</summary>
    private static async Task RecordAndSnapshotAsync(RpcTestClient client, string[] devices, CancellationToken ct)
    {
        foreach (var device in devices)
        {
            (await client.CallAsync("start_recording", new { device }, ct, TimeSpan.FromSeconds(60))).EnsureSuccess();
        }

        await Task.Delay(TimeSpan.FromSeconds(4), ct);
        foreach (var device in devices)
        {
            (await client.CallAsync("take_snapshot", new { device, filename = $"ps-{device}" }, ct, TimeSpan.FromSeconds(60))).EnsureSuccess();
            var stopped = (await client.CallAsync("stop_recording", new { device }, ct, TimeSpan.FromSeconds(60))).EnsureSuccess().Result;
            Assert.True(stopped.GetProperty("duration").GetDouble() > 1, stopped.ToString());
        }
    }

    /// <summary>
    /// No command line holds the camera's user:password or the internal credential's password (all random per test, so
    /// other tests' processes on the machine cannot match by chance).
    /// </summary>
    private static void AssertNoSecret(IReadOnlyCollection<string> seen, string cameraPassword, string? internalPassword)
    {
        string[] secrets = internalPassword is null ? [cameraPassword, User + ":"] : [cameraPassword, User + ":", internalPassword];
        // The test camera itself is given its password on its command line; it is not the service's.
        var leaks = seen.Where(l => !l.Contains("rtsp_server.py", StringComparison.Ordinal) && secrets.Any(secret => l.Contains(secret, StringComparison.Ordinal))).ToList();
        Assert.True(leaks.Count == 0, "credential in a command line:\n" + string.Join('\n', leaks));
    }

    /// <summary>What a local user who copied the URL from <c>ps</c> gets: ffmpeg publishing a test pattern with it.</summary>
    private static async Task<(int ExitCode, string Error)> PublishAsync(string url, CancellationToken ct)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var arg in new[] { "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=5", "-t", "2",
                     "-c:v", "libx264", "-preset", "ultrafast", "-f", "rtsp", "-rtsp_transport", "tcp", url })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await error);
    }

    [GeneratedRegex(@"rtsp://(?<user>[^:@/\s]+):(?<password>[^@/\s]+)@127\.0\.0\.1:(?<port>\d+)/test0")]
    private static partial Regex PublishUrl();
}

using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.EndToEnd;

/// <summary>The README's quick start, as a newcomer runs it: default config, a snapshot by `call`, a CLI token, a download.</summary>
public sealed class QuickStartTests
{
    [Fact]
    public async Task Default_service_takes_a_test_pattern_snapshot_that_downloads_as_a_real_jpeg()
    {
        var ct = TestContext.Current.CancellationToken;
        // scripts/run.sh gives the service MediaMTX: so does this run, when the binary is here.
        await using var service = await ServiceProcess.StartAsync(null, ct, environment: Contracts.ManagedMediaMtx.Environment());
        // The CLI runs with the service's config: same port and storage root (so the same dev secret).
        var environment = new Dictionary<string, string>
        {
            ["VIDEOSENSOR__STORAGE__ROOT"] = service.StorageRoot,
            ["VIDEOSENSOR__SERVER__PORT"] = service.Port.ToString(CultureInfo.InvariantCulture),
        };
        var (exit, token, stderr) = await ServiceProcess.RunCliAsync(["token", "--role", "operator"], environment, ct);
        Assert.True(exit == 0, stderr);
        token = token.Trim();

        await using var client = await RpcTestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{service.Port}/ws"), cancellationToken: ct);
        var auth = (await client.CallAsync("authenticate", new { auth_token = token }, ct)).EnsureSuccess();
        Assert.Equal("operator", auth.Result.GetProperty("role").GetString());

        var list = (await client.CallAsync("get_camera_list", cancellationToken: ct)).EnsureSuccess().Result;
        var camera = Assert.Single(list.GetProperty("cameras").EnumerateArray());
        Assert.Equal("test0", camera.GetProperty("device").GetString());
        Assert.Equal("CONNECTED", camera.GetProperty("status").GetString());

        var call = await ServiceProcess.RunCliAsync(["call", "take_snapshot", """{"device":"test0"}"""], environment, ct);
        Assert.True(call.ExitCode == 0, call.StdErr);
        using var result = JsonDocument.Parse(call.StdOut);
        var snapshot = result.RootElement;
        Assert.Equal("SUCCESS", snapshot.GetProperty("status").GetString());
        var filename = snapshot.GetProperty("filename").GetString()!;
        Assert.Equal($"/files/snapshots/{filename}", snapshot.GetProperty("download_url").GetString());
        Assert.Equal($"snapshots/test0/{filename}", snapshot.GetProperty("file_path").GetString());
        Assert.DoesNotContain(service.StorageRoot, call.StdOut, StringComparison.Ordinal);

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{service.Port}{snapshot.GetProperty("download_url").GetString()}"), ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        Assert.Equal(snapshot.GetProperty("file_size").GetInt64(), bytes.Length);

        using var dir = new TempDirectory();
        var local = dir.Combine(filename);
        await File.WriteAllBytesAsync(local, bytes, ct);
        var probed = await Ffprobe.ProbeAsync(local, ct);
        Assert.Equal("mjpeg", probed.Codec);
        Assert.Equal((1280, 720), (probed.Width, probed.Height));

        // The older clients' port serves the same file.
        using var legacy = await http.GetAsync(new Uri($"http://127.0.0.1:{service.HealthPort}/files/snapshots/{filename}"), ct);
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);

        Assert.Equal(0, await service.TerminateAsync(TimeSpan.FromSeconds(20)));
    }
}

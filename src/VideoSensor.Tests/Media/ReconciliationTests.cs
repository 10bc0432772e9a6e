using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Media.Contract;

namespace VideoSensor.Tests.Media;

/// <summary>The service keeps MediaMTX's paths equal to its cameras, through restarts, against the contract double.</summary>
public sealed class ReconciliationTests
{
    private const string Password = "door-Pa55-secret";

    private static async Task<string> ConfigAsync(TempDirectory dir, MediaMtxDouble mtx, int cameraPort)
    {
        var secrets = dir.Combine("secrets.yaml");
        await File.WriteAllTextAsync(secrets, $"door-cam:\n  username: viewer\n  password: {Password}\n");
        return $$"""
            cameras:
              test_patterns:
                - id: test0
                  resolution: 320x240
                  fps: 10
              rtsp:
                - id: door
                  url: rtsp://127.0.0.1:{{cameraPort}}/cam
                  transport: udp
                  username: { secret: door-cam, key: username }
                  password: { secret: door-cam, key: password }
            secrets:
              file: {{secrets}}
            {{ExternalMediaMtx.Yaml(mtx)}}
            """;
    }

    [Fact]
    public async Task Every_path_comes_back_after_MediaMTX_restarts_empty()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        await using var mtx = new MediaMtxDouble();
        var cameraPort = FreePort.Next();
        await using var service = await TestService.StartAsync(await ConfigAsync(dir, mtx, cameraPort), cancellationToken: ct);

        await mtx.WaitForPathsAsync(["door", "test0"], TimeSpan.FromSeconds(30));
        var door = mtx.Configs["door"];
        Assert.Equal($"rtsp://viewer:{Password}@127.0.0.1:{cameraPort}/cam", (string?)door["source"]);
        Assert.Equal("udp", (string?)door["rtspTransport"]);
        Assert.Equal("publisher", (string?)mtx.Configs["test0"]["source"]);

        mtx.Restart();
        Assert.Empty(mtx.Configs);
        await mtx.WaitForPathsAsync(["door", "test0"], TimeSpan.FromSeconds(30));

        Assert.Equal($"rtsp://viewer:{Password}@127.0.0.1:{cameraPort}/cam", (string?)mtx.Configs["door"]["source"]);
        Assert.Empty(mtx.Violations);
        Assert.DoesNotContain(Password, service.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconciling_is_idempotent_fixes_drift_and_leaves_foreign_paths_alone()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        await using var mtx = new MediaMtxDouble();
        await using var service = await TestService.StartAsync(await ConfigAsync(dir, mtx, FreePort.Next()), cancellationToken: ct);
        await mtx.WaitForPathsAsync(["door", "test0"], TimeSpan.FromSeconds(30));
        var reconciler = service.Services.GetRequiredService<PathReconciler>();
        using var http = new HttpClient { BaseAddress = new Uri($"http://{mtx.ApiAddress}/") };

        var again = await reconciler.ReconcileAsync(ct);
        // Someone else's path on the external instance, and drift on one of ours.
        (await http.PostAsJsonAsync("v3/config/paths/add/other", new { source = "publisher" }, ct)).EnsureSuccessStatusCode();
        (await http.PatchAsJsonAsync("v3/config/paths/patch/door", new { rtspTransport = "tcp" }, ct)).EnsureSuccessStatusCode();
        var repair = await reconciler.ReconcileAsync(ct);

        Assert.Equal((0, 2), (again.Changes, again.Unchanged));
        Assert.Equal((0, 1, 0), (repair.Added, repair.Patched, repair.Deleted));
        Assert.Equal("udp", (string?)mtx.Configs["door"]["rtspTransport"]);
        Assert.True(mtx.Configs.ContainsKey("other"));
        Assert.Empty(mtx.Violations);
    }

    [Fact]
    public async Task A_path_MediaMTX_rejects_is_reported_and_the_others_still_apply()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        await using var mtx = new MediaMtxDouble { Fault = DoubleFault.RejectEchoingSource };
        await using var service = await TestService.StartAsync(await ConfigAsync(dir, mtx, FreePort.Next()), cancellationToken: ct);
        var reconciler = service.Services.GetRequiredService<PathReconciler>();

        var report = await reconciler.ReconcileAsync(ct);
        await using var client = await service.ConnectAsync("viewer", ct);
        var ping = await client.CallAsync("ping", cancellationToken: ct);

        Assert.Equal(2, report.Failures.Count);
        Assert.Contains(report.Failures, f => f.Contains("invalid source: 'rtsp://***@127.0.0.1", StringComparison.Ordinal));
        Assert.DoesNotContain(Password, string.Join('\n', report.Failures), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, service.Logs.All, StringComparison.Ordinal);
        Assert.Equal("pong", ping.Result.GetString());
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Platform.Dapr;
using VideoSensor.Events;
using VideoSensor.Secrets;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Platform;

/// <summary>Standalone mode (no sidecar at all) and the commands subscription.</summary>
public sealed class StandaloneAndCommandsTests
{
    [Fact]
    public async Task Standalone_runs_complete_without_any_sidecar()
    {
        var ct = DaprTestSetup.Timeout();
        Assert.SkipWhen(Environment.GetEnvironmentVariable("DAPR_GRPC_PORT") is not null || Environment.GetEnvironmentVariable("DAPR_GRPC_ENDPOINT") is not null,
            "this process runs beside a Dapr sidecar (DAPR_GRPC_PORT/ENDPOINT set), so auto mode is not standalone here");
        await using var service = await TestService.StartAsync(DaprTestSetup.TestPattern(), cancellationToken: ct);
        Assert.False(service.Services.GetRequiredService<DaprSidecar>().IsActive);
        var chosen = Assert.IsType<VideoSensor.Cameras.Rtsp.SourceCredentialSecretSource>(service.Services.GetRequiredService<ISecretSource>());
        Assert.IsType<LocalSecretSource>(chosen.Inner);
        Assert.False(service.Services.GetRequiredService<IPlatformPublisher>().Enabled);

        using var http = new HttpClient { BaseAddress = service.BaseUri };
        var health = await http.GetFromJsonAsync<JsonElement>("/health", ct);
        Assert.Equal("DISABLED", health.GetProperty("components").GetProperty("dapr").GetProperty("status").GetString());
        Assert.Equal(200, (int)(await http.GetAsync("/health/ready", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/dapr/subscribe", ct)).StatusCode);

        // The product still works: a snapshot of the test pattern, and events to WebSocket clients.
        await using var client = await service.ConnectAsync("operator", ct);
        var snapshot = await client.CallAsync("take_snapshot", new { device = "cam0" }, ct);
        snapshot.EnsureSuccess();
        Assert.True(snapshot.Result.GetProperty("file_size").GetInt64() > 0);
    }

    [Fact]
    public async Task Required_mode_without_a_sidecar_starts_and_stays_live_but_is_not_ready_and_says_why()
    {
        var ct = DaprTestSetup.Timeout();
        var deadPort = FreePort.Next();
        await using var service = await TestService.StartAsync($"""
            dapr:
              mode: required
              grpc_endpoint: http://127.0.0.1:{deadPort}
              call_timeout_ms: 500
              probe_seconds: 1
            """, cancellationToken: ct);
        var monitor = service.Services.GetRequiredService<SidecarMonitor>();
        Assert.False(await monitor.ProbeAsync(ct));
        using var http = new HttpClient { BaseAddress = service.BaseUri };
        Assert.Equal(200, (int)(await http.GetAsync("/health/live", ct)).StatusCode);
        var ready = await http.GetAsync("/health/ready", ct);
        Assert.Equal(503, (int)ready.StatusCode);
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal("not_ready", body.GetProperty("status").GetString());
        Assert.Equal("UNHEALTHY", body.GetProperty("health").GetString());
        var dapr = body.GetProperty("components").GetProperty("dapr");
        Assert.Equal("UNHEALTHY", dapr.GetProperty("status").GetString());
        Assert.Contains($"sidecar http://127.0.0.1:{deadPort} not answering", dapr.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dapr_subscribe_declares_the_commands_topic_and_a_command_CloudEvent_takes_a_snapshot()
    {
        var ct = DaprTestSetup.Timeout(60);
        await using var sidecar = await FakeDaprSidecar.StartAsync();
        await using var service = await TestService.StartAsync(DaprTestSetup.DaprYaml(sidecar) + "\n" + DaprTestSetup.TestPattern(), cancellationToken: ct);
        using var http = new HttpClient { BaseAddress = service.BaseUri };

        var subscriptions = await http.GetFromJsonAsync<JsonElement>("/dapr/subscribe", ct);
        var commands = Assert.Single(subscriptions.EnumerateArray(), s => s.GetProperty("topic").GetString() == "videosensor.commands.sensor-a");
        Assert.Equal("pubsub", commands.GetProperty("pubsubName").GetString());
        Assert.Equal("videosensor.commands.deadletter", commands.GetProperty("deadLetterTopic").GetString());
        var route = commands.TryGetProperty("route", out var r) ? r.GetString() : commands.GetProperty("routes").GetProperty("default").GetString();
        Assert.Equal("/dapr/commands", "/" + route!.TrimStart('/'));

        // Delivered as daprd does: a structured CloudEvent with the command in data.
        var snapshot = await DaprCommands.DeliverAsync(http, "cmd-1", new { action = "snapshot", device = "cam0", @params = new { format = "png" } }, ct);
        Assert.Equal("SUCCESS", snapshot.GetProperty("status").GetString());
        var (_, result) = await sidecar.State.WaitForAsync(e => e.GetProperty("type").GetString() == "io.daprcamera.command.result" && e.GetProperty("data").GetProperty("command_id").GetString() == "cmd-1", ct);
        var filename = result.GetProperty("data").GetProperty("filename").GetString()!;
        Assert.Equal("succeeded", result.GetProperty("data").GetProperty("outcome").GetString());
        Assert.EndsWith(".png", filename, StringComparison.Ordinal);
        var file = Directory.GetFiles(service.StorageRoot, filename, SearchOption.AllDirectories).Single();
        Assert.True(new FileInfo(file).Length > 0);
        await sidecar.State.WaitForTypeAsync("io.daprcamera.snapshot.taken", ct, subject: "cam0");

        // Recording commands drive the real recorder: the stop result carries the measured size of real files.
        var recording = await DaprCommands.DeliverAsync(http, "cmd-2", new { action = "start_recording", device = "cam0", @params = new { format = "fmp4" } }, ct);
        Assert.Equal("SUCCESS", recording.GetProperty("status").GetString());
        var stop = await DaprCommands.DeliverAsync(http, "cmd-2b", new { action = "stop_recording", device = "cam0" }, ct);
        Assert.Equal("SUCCESS", stop.GetProperty("status").GetString());
        var (_, stopped) = await sidecar.State.WaitForAsync(e => e.GetProperty("type").GetString() == "io.daprcamera.command.result" && e.GetProperty("data").GetProperty("command_id").GetString() == "cmd-2b", ct);
        var recorded = Directory.GetFiles(Path.Combine(service.StorageRoot, "recordings", "cam0"));
        Assert.NotEmpty(recorded);
        Assert.Equal(recorded.Sum(f => new FileInfo(f).Length), stopped.GetProperty("data").GetProperty("file_size").GetInt64());
        var notRecording = await DaprCommands.DeliverAsync(http, "cmd-2c", new { action = "stop_recording", device = "cam0" }, ct);
        Assert.Equal("DROP", notRecording.GetProperty("status").GetString());

        var unknownCamera = await DaprCommands.DeliverAsync(http, "cmd-3", new { action = "snapshot", device = "nope" }, ct);
        Assert.Equal("DROP", unknownCamera.GetProperty("status").GetString());
        Assert.Equal("invalid", unknownCamera.GetProperty("outcome").GetString());

        var rescan = await DaprCommands.DeliverAsync(http, "cmd-4", new { action = "rescan" }, ct);
        Assert.Equal("SUCCESS", rescan.GetProperty("status").GetString());

        using var garbage = new StringContent("{not json", Encoding.UTF8, "application/cloudevents+json");
        var bad = await (await http.PostAsync("/dapr/commands", garbage, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal("DROP", bad.GetProperty("status").GetString());
    }
}

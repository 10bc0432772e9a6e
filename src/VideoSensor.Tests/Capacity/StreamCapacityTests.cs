using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Media;
using VideoSensor.Tests.Media.Contract;

namespace VideoSensor.Tests.Capacity;

/// <summary>
/// limits.max_streams over a real WebSocket: nine test-pattern cameras, each start_streaming running a real ingest
/// ffmpeg; MediaMTX's control API is the contract double, as in the other data-plane tests.
/// </summary>
public sealed class StreamCapacityTests
{
    private static string Yaml(MediaMtxDouble mtx, int cameras, int limit)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("cameras:").AppendLine("  test_patterns:");
        for (var i = 0; i < cameras; i++)
        {
            yaml.AppendLine($"    - id: cam{i}").AppendLine("      resolution: 160x120").AppendLine("      fps: 5");
        }

        yaml.AppendLine("limits:").AppendLine($"  max_streams: {limit}");
        return ExternalMediaMtx.Yaml(mtx, autoCloseAfter: 300) + "\n" + yaml;
    }

    [Fact]
    public async Task The_ninth_stream_is_refused_with_the_holders_and_freeing_one_admits_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var mtx = new MediaMtxDouble();
        await using var service = await TestService.StartAsync(Yaml(mtx, cameras: 9, limit: 8), cancellationToken: ct);
        await ExternalMediaMtx.WaitUntilRunningAsync(service.Services.GetRequiredService<MediaMtxState>(), TimeSpan.FromSeconds(30));
        await using var client = await service.ConnectAsync("operator", ct);

        var pids = new List<JsonElement>();
        for (var i = 0; i < 8; i++)
        {
            (await client.CallAsync("start_streaming", new { device = $"cam{i}" }, ct)).EnsureSuccess();
            pids.Add((await client.CallAsync("get_stream_status", new { device = $"cam{i}" }, ct)).EnsureSuccess().Result.GetProperty("ingest"));
        }

        var again = await client.CallAsync("start_streaming", new { device = "cam0" }, ct);
        var refused = await client.CallAsync("start_streaming", new { device = "cam8" }, ct);
        var refusedStatus = (await client.CallAsync("get_stream_status", new { device = "cam8" }, ct)).EnsureSuccess().Result;
        var infoFull = (await client.CallAsync("get_server_info", cancellationToken: ct)).EnsureSuccess().Result;
        using var http = await service.HttpAsync("viewer");
        var capsFull = JsonDocument.Parse(await http.GetStringAsync("/api/v1/capabilities", ct)).RootElement;

        (await client.CallAsync("stop_streaming", new { device = "cam3" }, ct)).EnsureSuccess();
        var admitted = await client.CallAsync("start_streaming", new { device = "cam8" }, ct);
        var admittedIngest = (await client.CallAsync("get_stream_status", new { device = "cam8" }, ct)).EnsureSuccess().Result.GetProperty("ingest");
        var stillFull = await client.CallAsync("start_streaming", new { device = "cam3" }, ct);

        // Each admitted stream really runs an ingest ffmpeg (nothing accepts its publish here, so it runs or is being restarted).
        Assert.All(pids.Append(admittedIngest), i => Assert.True(i.GetProperty("running").GetBoolean() ? i.GetProperty("pid").GetInt32() > 0 : i.GetProperty("restarts").GetInt32() > 0, i.ToString()));
        again.EnsureSuccess();
        Assert.Equal(-32050, refused.ErrorCode);
        var data = refused.ErrorData;
        Assert.Equal("capacity", data.GetProperty("dependency").GetString());
        Assert.Equal(8, data.GetProperty("limit").GetInt32());
        Assert.Equal(8, data.GetProperty("in_use").GetInt32());
        var holders = data.GetProperty("holders").EnumerateArray().Select(h => h.GetProperty("device").GetString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"cam{i}"), holders);
        Assert.All(data.GetProperty("holders").EnumerateArray(), h => Assert.Equal("stream", h.GetProperty("purpose").GetString()));
        Assert.Equal("INACTIVE", refusedStatus.GetProperty("status").GetString());
        Assert.False(refusedStatus.GetProperty("ingest").GetProperty("running").GetBoolean());
        Assert.Equal((8, 8), (infoFull.GetProperty("max_streams").GetInt32(), infoFull.GetProperty("active_streams").GetInt32()));
        Assert.Equal((8, 8), (capsFull.GetProperty("max_streams").GetInt32(), capsFull.GetProperty("active_streams").GetInt32()));
        Assert.Equal("STARTED", admitted.EnsureSuccess().Result.GetProperty("status").GetString());
        Assert.Equal(-32050, stillFull.ErrorCode);
        Assert.DoesNotContain("cam3", stillFull.ErrorData.GetProperty("holders").EnumerateArray().Select(h => h.GetProperty("device").GetString()));
        Assert.Contains("cam8", stillFull.ErrorData.GetProperty("holders").EnumerateArray().Select(h => h.GetProperty("device").GetString()));
        Assert.Empty(mtx.Violations);
    }
}

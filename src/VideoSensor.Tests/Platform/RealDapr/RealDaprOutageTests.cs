using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Events;
using VideoSensor.Storage;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Fixtures.Dapr;

namespace VideoSensor.Tests.Platform.RealDapr;

/// <summary>
/// The real daprd killed (SIGKILL) under a running sensor in <c>dapr.mode: required</c>: the sensor stays live, is not
/// ready and says why; events raised meanwhile wait and land in Redis in order, none lost, once daprd is back.
/// </summary>
public sealed class RealDaprOutageTests
{
    [Fact]
    public async Task With_daprd_killed_a_required_sensor_is_not_ready_with_the_reason_and_its_events_arrive_in_order_after_restart()
    {
        var ct = DaprTestSetup.Timeout(150);
        await using var cluster = await RealDaprCluster.StartAsync(ct);
        var sidecar = cluster.Sidecar("videosensor");
        await using var service = await TestService.StartAsync(RealDaprCluster.SensorYaml(sidecar, heartbeatSeconds: 3600), cancellationToken: ct);
        await sidecar.StartAsync(service.Port, ct);
        await RedisStreams.WaitForAsync(cluster.Redis, "videosensor.sensor.registered", _ => true, ct, cluster.Logs);
        using var http = new HttpClient { BaseAddress = service.BaseUri };
        await UntilReadyIsAsync(http, HttpStatusCode.OK, ct);

        var registrationsBefore = (await RedisStreams.CloudEventsAsync(cluster.Redis, "videosensor.sensor.registered")).Count;
        await sidecar.KillAsync();
        var notReady = await UntilReadyIsAsync(http, HttpStatusCode.ServiceUnavailable, ct);
        Assert.Equal("not_ready", notReady.GetProperty("status").GetString());
        var dapr = notReady.GetProperty("components").GetProperty("dapr");
        Assert.Equal("UNHEALTHY", dapr.GetProperty("status").GetString());
        Assert.Contains($"sidecar {sidecar.GrpcEndpoint} not answering", dapr.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live", ct)).StatusCode);

        const int count = 25;
        var hub = service.Services.GetRequiredService<EventHub>();
        for (var i = 0; i < count; i++)
        {
            hub.Publish(new StorageLow(AvailableBytes: i, TotalBytes: 1000, UsedPercent: 99, FreePercent: 1, LowSpacePercent: 10, BlockSpacePercent: 2, RecordingBlocked: false));
        }

        Assert.Empty(await RedisStreams.CloudEventsAsync(cluster.Redis, "videosensor.storage.low_space"));

        await sidecar.StartAgainAsync(ct);
        await RedisStreams.WaitForAsync(cluster.Redis, "videosensor.storage.low_space", e => e.GetProperty("data").GetProperty("available_space").GetInt32() == count - 1, ct, cluster.Logs);
        var order = (await RedisStreams.CloudEventsAsync(cluster.Redis, "videosensor.storage.low_space"))
            .Select(e => e.GetProperty("data").GetProperty("available_space").GetInt32()).ToList();
        Assert.Equal(Enumerable.Range(0, count), order);
        var ready = await UntilReadyIsAsync(http, HttpStatusCode.OK, ct);
        Assert.Equal("HEALTHY", ready.GetProperty("components").GetProperty("dapr").GetProperty("status").GetString());

        // The sensor registered again when its sidecar came back, in case the platform missed it.
        await RedisStreams.WaitForAsync(cluster.Redis, "videosensor.sensor.registered", _ => true, ct);
        Assert.True((await RedisStreams.CloudEventsAsync(cluster.Redis, "videosensor.sensor.registered")).Count > registrationsBefore);
    }

    private static async Task<JsonElement> UntilReadyIsAsync(HttpClient http, HttpStatusCode expected, CancellationToken ct)
    {
        HttpStatusCode last = 0;
        string body = "";
        try
        {
            while (true)
            {
                using var response = await http.GetAsync("/health/ready", ct);
                last = response.StatusCode;
                body = await response.Content.ReadAsStringAsync(ct);
                if (last == expected)
                {
                    return JsonDocument.Parse(body).RootElement.Clone();
                }

                await Task.Delay(100, ct);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"/health/ready never answered {(int)expected}; last {(int)last}: {body}");
            throw;
        }
    }
}

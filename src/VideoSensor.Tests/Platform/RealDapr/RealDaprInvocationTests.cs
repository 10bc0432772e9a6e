using System.Net;
using System.Text.Json;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Fixtures.Dapr;

namespace VideoSensor.Tests.Platform.RealDapr;

/// <summary>
/// The aggregator's view: a second app id calls the sensor by app id through its own daprd (service invocation, name
/// resolution over loopback). The shipped dapr/config.yaml's access control identifies callers by their mTLS (Sentry)
/// identity, which a local run without Sentry does not have: there it refuses every call, and without the section the
/// calls go through.
/// </summary>
public sealed class RealDaprInvocationTests
{
    [Fact]
    public async Task The_aggregator_reads_capabilities_and_cameras_through_its_own_sidecar()
    {
        var ct = DaprTestSetup.Timeout(120);
        await using var cluster = await RealDaprCluster.StartAsync(ct);
        var sensorSidecar = cluster.Sidecar("videosensor");
        sensorSidecar.UseConfig(cluster.Resources.ConfigWithoutAccessControl());
        // The loopback name resolver of the provided daprd: app id → that daprd's internal gRPC port.
        var resolver = cluster.Sidecar("aggregator", localApps: sensorSidecar.LocalAppEntry);
        await using var service = await TestService.StartAsync(RealDaprCluster.SensorYaml(sensorSidecar) + "\n" + DaprTestSetup.TestPattern(), cancellationToken: ct);
        await sensorSidecar.StartAsync(service.Port, ct);
        await resolver.StartAsync(null, ct);

        using var http = new HttpClient { BaseAddress = new Uri(resolver.HttpEndpoint) };
        http.DefaultRequestHeaders.Add("X-API-Key", ApiKeys.Viewer);

        using var capabilitiesResponse = await http.GetAsync("/v1.0/invoke/videosensor/method/api/v1/capabilities", ct);
        var capabilitiesBody = await capabilitiesResponse.Content.ReadAsStringAsync(ct);
        Assert.True(capabilitiesResponse.StatusCode == HttpStatusCode.OK, $"{(int)capabilitiesResponse.StatusCode} {capabilitiesBody}\n{resolver.Output}");
        using var capabilities = JsonDocument.Parse(capabilitiesBody);
        Assert.Contains(capabilities.RootElement.GetProperty("methods").EnumerateArray(), m => m.GetString() == "take_snapshot");

        using var camerasResponse = await http.GetAsync("/v1.0/invoke/videosensor/method/api/v1/cameras", ct);
        Assert.Equal(HttpStatusCode.OK, camerasResponse.StatusCode);
        using var cameras = JsonDocument.Parse(await camerasResponse.Content.ReadAsStringAsync(ct));
        Assert.Contains(cameras.RootElement.GetProperty("cameras").EnumerateArray(), c => c.GetProperty("device").GetString() == "cam0");

        // The sensor's own auth still applies behind the sidecar.
        using var anonymous = new HttpClient { BaseAddress = new Uri(resolver.HttpEndpoint) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1.0/invoke/videosensor/method/api/v1/cameras", ct)).StatusCode);
    }

    [Fact]
    public async Task Without_mTLS_the_shipped_access_control_refuses_even_the_allowed_reads()
    {
        var ct = DaprTestSetup.Timeout(120);
        await using var cluster = await RealDaprCluster.StartAsync(ct);
        var sensorSidecar = cluster.Sidecar("videosensor");
        var aggregator = cluster.Sidecar("aggregator", localApps: sensorSidecar.LocalAppEntry);
        await using var service = await TestService.StartAsync(RealDaprCluster.SensorYaml(sensorSidecar), cancellationToken: ct);
        await sensorSidecar.StartAsync(service.Port, ct);
        await aggregator.StartAsync(null, ct);

        using var http = new HttpClient { BaseAddress = new Uri(aggregator.HttpEndpoint) };
        http.DefaultRequestHeaders.Add("X-API-Key", ApiKeys.Viewer);
        using var response = await http.GetAsync("/v1.0/invoke/videosensor/method/api/v1/capabilities", ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("access control policy has denied access", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }
}

using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Fixtures.Dapr;
using VideoSensor.Tests.Media;
using VideoSensor.Tests.Media.Contract;

namespace VideoSensor.Tests.Platform.RealDapr;

/// <summary>
/// A sensor whose sidecar comes up after it (a pod whose daprd is slower to start, or restarting): a camera's
/// credentials live in the real daprd's secret store, so the first MediaMTX path pass cannot be built. The sensor must
/// keep running — a failed background service would stop it — and apply the camera's path once the store answers.
/// </summary>
public sealed class RealDaprLateSidecarTests
{
    private const string Password = "late-sidecar-pass-4d1e";

    [Fact]
    public async Task A_sensor_started_before_its_sidecar_keeps_running_and_applies_the_secret_camera_path_once_the_store_answers()
    {
        var ct = DaprTestSetup.Timeout(150);
        await using var camera = await RtspTestServer.StartAsync("viewer", Password);
        await using var cluster = await RealDaprCluster.StartAsync(ct);
        var secrets = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(File.ReadAllText(Path.Combine(DaprResources.RepositoryRoot, "components", "dev-secrets.example.json")))!;
        secrets["door-cam"] = new() { ["username"] = "viewer", ["password"] = Password };
        await File.WriteAllTextAsync(cluster.Resources.SecretsFile, JsonSerializer.Serialize(secrets), ct);
        var sidecar = cluster.Sidecar("videosensor");
        await using var mtx = new MediaMtxDouble();
        await using var service = await TestService.StartAsync(
            TestService.MergeSections(RealDaprCluster.SensorYaml(sidecar) + RtspFeedYaml.Cameras(camera, "door", "door-cam"), ExternalMediaMtx.Yaml(mtx)), cancellationToken: ct);
        var lifetime = service.Services.GetRequiredService<IHostApplicationLifetime>();

        // The pass that needs the secret has run and failed while the sidecar is down.
        while (!service.Logs.Lines.Any(l => l.Contains("Reconciling MediaMTX paths failed", StringComparison.Ordinal)) && !lifetime.ApplicationStopping.IsCancellationRequested)
        {
            await Task.Delay(100, ct);
        }

        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested, "the sensor stopped itself:\n" + service.Logs.All);
        Assert.False(mtx.Configs.ContainsKey("door"));

        await sidecar.StartAsync(service.Port, ct);
        await mtx.WaitForPathsAsync(["door"], TimeSpan.FromSeconds(30));

        Assert.Equal(camera.AuthorizedUrl, (string?)mtx.Configs["door"]["source"]);
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
        Assert.DoesNotContain(service.Logs.Lines, l => l.Contains(Password, StringComparison.Ordinal));
    }
}

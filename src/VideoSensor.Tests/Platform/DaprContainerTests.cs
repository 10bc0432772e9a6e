using System.Net.Sockets;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Platform.Dapr;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Platform;

/// <summary>
/// The same publisher and secret source against a real daprd and Redis in containers. Skipped with a
/// reason where no Docker engine answers (the build machines have none).
/// </summary>
public sealed class DaprContainerTests
{
    // Override with DAPRD_IMAGE to match the runtime the platform runs.
    private static readonly string DaprImage = Environment.GetEnvironmentVariable("DAPRD_IMAGE") ?? "daprio/daprd:1.15.5";
    private const string RedisImage = "redis:7-alpine";

    [Fact]
    public async Task Events_and_secrets_go_through_a_real_daprd_with_Redis()
    {
        Assert.SkipUnless(await DockerAnswersAsync(), "no Docker engine answers on this machine (DOCKER_HOST or /var/run/docker.sock)");
        var ct = DaprTestSetup.Timeout(240);
        await using INetwork network = new NetworkBuilder().Build();
        await using IContainer redis = new ContainerBuilder(RedisImage).WithNetwork(network).WithNetworkAliases("redis")
            .WithWaitStrategy(Wait.ForUnixContainer().UntilCommandIsCompleted("redis-cli", "ping")).Build();
        await redis.StartAsync(ct);

        using var resources = new TempDirectory();
        await File.WriteAllTextAsync(resources.Combine("pubsub.yaml"), """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: pubsub
            spec:
              type: pubsub.redis
              version: v1
              metadata:
                - name: redisHost
                  value: redis:6379
            """, ct);
        await File.WriteAllTextAsync(resources.Combine("secretstore.yaml"), """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: secretstore
            spec:
              type: secretstores.local.file
              version: v1
              metadata:
                - name: secretsFile
                  value: /components/secrets.json
                - name: multiValued
                  value: "true"
            """, ct);
        await File.WriteAllTextAsync(resources.Combine("secrets.json"), """{"door-cam": {"username": "u1", "password": "container-secret-1"}}""", ct);

        await using IContainer daprd = new ContainerBuilder(DaprImage).WithNetwork(network)
            .WithBindMount(resources.Path, "/components")
            .WithCommand("./daprd", "--app-id", "videosensor", "--resources-path", "/components", "--dapr-grpc-port", "50001", "--dapr-http-port", "3500")
            .WithPortBinding(50001, true).WithPortBinding(3500, true)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(r => r.ForPort(3500).ForPath("/v1.0/healthz/outbound")))
            .Build();
        await daprd.StartAsync(ct);

        var grpc = $"http://127.0.0.1:{daprd.GetMappedPublicPort(50001)}";
        await using var service = await TestService.StartAsync($"""
            dapr:
              mode: required
              grpc_endpoint: {grpc}
              http_endpoint: http://127.0.0.1:{daprd.GetMappedPublicPort(3500)}
              app_id: videosensor
              configuration_store: ""
            """ + "\n" + DaprTestSetup.TestPattern(), cancellationToken: ct);

        var secrets = service.Services.GetRequiredService<VideoSensor.Secrets.ISecretSource>();
        Assert.Equal("container-secret-1", await secrets.GetAsync(new VideoSensor.Secrets.SecretReference { Secret = "door-cam", Key = "password" }, ct));

        var publisher = service.Services.GetRequiredService<DaprEventPublisher>();
        Assert.True(await publisher.FlushAsync(ct));
        Assert.True(publisher.Delivered > 0);
        var stream = await redis.ExecAsync(["redis-cli", "XRANGE", "videosensor.camera.connected", "-", "+"], ct);
        Assert.Contains("io.daprcamera.camera.connected", stream.Stdout, StringComparison.Ordinal);
        Assert.Contains("cam0", stream.Stdout, StringComparison.Ordinal);
    }

    private static async Task<bool> DockerAnswersAsync()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        var socket = host is { } h && h.StartsWith("unix://", StringComparison.Ordinal) ? h["unix://".Length..] : "/var/run/docker.sock";
        if (host is { } tcp && tcp.StartsWith("tcp://", StringComparison.Ordinal))
        {
            return true; // a remote engine was configured on purpose; let Testcontainers report its own errors
        }

        if (!File.Exists(socket))
        {
            return false;
        }

        try
        {
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await client.ConnectAsync(new UnixDomainSocketEndPoint(socket)).WaitAsync(TimeSpan.FromSeconds(2));
            await client.SendAsync("GET /_ping HTTP/1.0\r\n\r\n"u8.ToArray());
            var buffer = new byte[64];
            var read = await client.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(2));
            return System.Text.Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException or IOException)
        {
            return false;
        }
    }
}

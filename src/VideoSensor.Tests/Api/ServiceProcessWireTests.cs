using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Api.Json;
using VideoSensor.Api.JsonRpc;
using VideoSensor.Api.JsonRpc.Methods;
using VideoSensor.Api.JsonRpc.Pipeline;
using VideoSensor.Api.Rest;
using VideoSensor.Hosting;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Api;

/// <summary>
/// The service as a process — the Native AOT executable in CI (<see cref="ServiceBinary"/>) — answers ping,
/// authenticate, get_camera_list, a bad call, rpc.discover, health and REST with the very bytes this test process
/// (JIT, the same code and generated metadata) writes for the same values: a type the trimmer dropped, metadata the
/// AOT build lacks or a setting that differs shows up as a differing byte, not as a green run.
/// </summary>
public sealed class ServiceProcessWireTests
{
    [Fact]
    public async Task JsonRpc_answers_are_byte_for_byte_what_the_managed_build_writes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await ServiceProcess.StartAsync(null, ct);
        var token = await AdminTokenAsync(service, ct);
        await using var client = await RpcTestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{service.Port}/ws"), cancellationToken: ct);

        var ping = await client.CallAsync("ping", cancellationToken: ct);
        Assert.Equal(Result(Id(ping), "pong"), ping.Raw.GetRawText());

        var refused = await client.CallAsync("get_camera_list", cancellationToken: ct);
        Assert.Equal(Error(Id(refused), RpcError.AuthenticationRequired("'get_camera_list' needs an authenticated session")), refused.Raw.GetRawText());

        var authenticated = await client.CallAsync("authenticate", new { auth_token = token }, ct);
        var auth = authenticated.EnsureSuccess().Result;
        Assert.Equal("admin", auth.GetProperty("role").GetString());
        Assert.Equal(Result(Id(authenticated), auth.Deserialize(HostJson.Info<AuthenticateResult>())!), authenticated.Raw.GetRawText());

        var cameras = await client.CallAsync("get_camera_list", cancellationToken: ct);
        var list = cameras.EnsureSuccess().Result.Deserialize(HostJson.Info<CameraList>())!;
        Assert.NotEmpty(list.Cameras);
        Assert.Equal(Result(Id(cameras), list), cameras.Raw.GetRawText());

        var invalid = await client.CallAsync("get_camera_status", new { }, ct);
        Assert.Equal(Error(Id(invalid), RpcError.InvalidParams("device", "required", "'device' is required")), invalid.Raw.GetRawText());

        var discover = await client.CallAsync("rpc.discover", cancellationToken: ct);
        Assert.Equal(Result(Id(discover), OpenRpcDocument.Build(ServiceCatalog())), discover.Raw.GetRawText());
    }

    [Fact]
    public async Task Health_and_REST_answers_are_byte_for_byte_what_the_managed_build_writes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await ServiceProcess.StartAsync(null, ct);
        var token = await AdminTokenAsync(service, ct);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{service.Port}") };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);

        Assert.Equal("""{"status":"alive"}""", await http.GetStringAsync("/health/live", ct));

        var ready = await http.GetStringAsync("/health/ready", ct);
        Assert.Equal(Http(JsonSerializer.Deserialize(ready, HostJson.HttpInfo<ReadyBody>())!), ready);
        Assert.StartsWith("""{"status":"ready",""", ready, StringComparison.Ordinal);

        var health = await http.GetStringAsync("/health", ct);
        Assert.Equal(Http(JsonSerializer.Deserialize(health, HostJson.HttpInfo<HealthBody>())!), health);

        var cameras = await http.GetStringAsync("/api/v1/cameras", ct);
        var list = JsonSerializer.Deserialize(cameras, HostJson.Info<CameraList>())!;
        Assert.NotEmpty(list.Cameras);
        Assert.Equal(JsonSerializer.Serialize(list, HostJson.Info<CameraList>()), cameras);

        var capabilities = await http.GetStringAsync("/api/v1/capabilities", ct);
        var body = JsonSerializer.Deserialize(capabilities, HostJson.Info<CapabilitiesBody>())!;
        Assert.Equal(ServiceCatalog().MethodNames, body.Methods);
        Assert.Equal(JsonSerializer.Serialize(body, HostJson.Info<CapabilitiesBody>()), capabilities);

        // The problem details of a domain failure: ASP.NET Core's writer with the contract's code, under AOT too.
        using var missing = await http.GetAsync("/api/v1/sources/nope", ct);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await missing.Content.ReadAsStringAsync(ct));
        Assert.Equal(-32010, problem.RootElement.GetProperty("code").GetInt32());
        Assert.Equal("source 'nope' not found", problem.RootElement.GetProperty("detail").GetString());
    }

    /// <summary>A token from the service's own CLI (the same executable), as an operator would mint one.</summary>
    private static async Task<string> AdminTokenAsync(ServiceProcess service, CancellationToken cancellationToken)
    {
        // The dev-mode signing key lives in the service's state folder.
        var (exit, stdout, stderr) = await ServiceProcess.RunCliAsync(["token", "--role", "admin"],
            new Dictionary<string, string> { ["VIDEOSENSOR__STORAGE__ROOT"] = service.StorageRoot }, cancellationToken);
        Assert.True(exit == 0, stderr);
        return stdout.Trim();
    }

    /// <summary>The service's method catalog, from the groups the composition root registers.</summary>
    private static RpcMethodCatalog ServiceCatalog() =>
        new(new ServiceCollection().AddControlPlane().BuildServiceProvider().GetServices<RpcMethodGroupRegistration>());

    private static RpcId Id(RpcResponse response) => RpcId.Number(response.Raw.GetProperty("id").GetInt64());

    private static string Result<T>(RpcId id, T value) => Write(writer => RpcWire.WriteResult(writer, id, value, HostJson.Info<T>()));

    private static string Error(RpcId id, RpcError error) => Write(writer => RpcWire.WriteError(writer, id, error));

    private static string Http<T>(T value) => JsonSerializer.Serialize(value, HostJson.HttpInfo<T>());

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, RpcWire.WriterOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Api.JsonRpc;
using VideoSensor.Api.Rest;
using VideoSensor.Media;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Recording;
using VideoSensor.Security;
using VideoSensor.Snapshots;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Security;

/// <summary>
/// A role declared once is enforced the same way by every transport that reaches the action. For each caller — none,
/// a wrong credential, each role — the JSON-RPC method, the REST endpoint and (for watching) MediaMTX's auth callback
/// must all reach the decision <see cref="AccessPolicy"/> gives for the declared role: in, or out for the same reason.
/// </summary>
public sealed class RoleDeclaredOnceTests : IAsyncLifetime
{
    private static readonly string?[] Callers = [null, "wrong", "viewer", "operator", "admin"];

    private TestService _service = null!;

    public async ValueTask InitializeAsync() => _service = await TestService.StartAsync("""
        media:
          mediamtx:
            mode: disabled
        """, cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Watching_a_camera_is_decided_alike_over_json_rpc_rest_and_the_data_plane()
    {
        var failures = new List<string>();
        foreach (var caller in Callers)
        {
            var expected = Expected(WatchCamera.Access, caller);
            var rpc = await OverJsonRpcAsync(caller, "get_stream_url");
            var rest = await OverRestAsync(caller, HttpMethod.Get, "/api/v1/cameras/no-such-cam/preview.jpg");
            var dataPlane = await OverDataPlaneAsync(caller);
            if (rpc != expected || rest != expected || dataPlane != (expected == AccessDecision.Allowed))
            {
                failures.Add($"{caller ?? "none"}: expected {expected}; JSON-RPC {rpc}, REST {rest}, data plane allowed={dataPlane}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task Taking_a_snapshot_is_decided_alike_over_json_rpc_and_rest()
    {
        var failures = new List<string>();
        foreach (var caller in Callers)
        {
            var expected = Expected(TakeSnapshot.Access, caller);
            var rpc = await OverJsonRpcAsync(caller, "take_snapshot");
            var rest = await OverRestAsync(caller, HttpMethod.Post, "/api/v1/cameras/no-such-cam/snapshot");
            if (rpc != expected || rest != expected)
            {
                failures.Add($"{caller ?? "none"}: expected {expected}; JSON-RPC {rpc}, REST {rest}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void Each_transport_reads_the_one_declaration()
    {
        var catalog = _service.Services.GetRequiredService<RpcMethodCatalog>();
        Assert.True(catalog.TryGet("get_stream_url", out var watch));
        Assert.True(catalog.TryGet("take_snapshot", out var snapshot));
        var routes = _service.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>().ToList();

        Assert.Equal(WatchCamera.Access, watch.Required);
        Assert.Equal(TakeSnapshot.Access, snapshot.Required);
        Assert.Equal([WatchCamera.Access], RolesOf(routes, "api/v1/cameras/{id}/preview.jpg"));
        Assert.Equal([TakeSnapshot.Access], RolesOf(routes, "api/v1/cameras/{id}/snapshot"));

        // Start (POST) and stop (DELETE): each endpoint carries its use case's role once, no group role on top.
        Assert.Equal([StartRecording.Access, StopRecording.Access], RolesOf(routes, "api/v1/cameras/{id}/recording"));
    }

    /// <summary>What the shared check says for this caller: no caller or a wrong credential is unauthenticated.</summary>
    private static AccessDecision Expected(Role required, string? caller) =>
        AccessPolicy.Check(required, RoleExtensions.TryParse(caller, out var role) ? new AuthenticatedUser("tester", role, null, "jwt") : null);

    private async Task<AccessDecision> OverJsonRpcAsync(string? caller, string method)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await _service.ConnectAsync(caller is "wrong" ? null : caller, ct);
        if (caller is "wrong")
        {
            Assert.Equal(-32001, (await client.CallAsync("authenticate", new { auth_token = "not-a-credential" }, ct)).ErrorCode);
        }

        var response = await client.CallAsync(method, new { device = "no-such-cam" }, ct);
        return !response.IsError ? AccessDecision.Allowed : response.ErrorCode switch
        {
            -32001 => AccessDecision.Unauthenticated,
            -32002 => AccessDecision.Forbidden,
            _ => AccessDecision.Allowed,
        };
    }

    private async Task<AccessDecision> OverRestAsync(string? caller, HttpMethod method, string path)
    {
        using var http = new HttpClient { BaseAddress = _service.BaseUri };
        using var request = new HttpRequestMessage(method, path);
        if (await CredentialAsync(caller) is { } credential)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => AccessDecision.Unauthenticated,
            HttpStatusCode.Forbidden => AccessDecision.Forbidden,
            _ => AccessDecision.Allowed,
        };
    }

    private async Task<bool> OverDataPlaneAsync(string? caller)
    {
        using var http = new HttpClient { BaseAddress = _service.BaseUri };
        var body = new { user = "", password = "", token = await CredentialAsync(caller) ?? "", ip = "127.0.0.1", action = "read", path = "no-such-cam", protocol = "webrtc", id = "1", query = "" };
        using var response = await http.PostAsJsonAsync(MediaMtxConfigWriter.AuthRoute, body, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized, $"data plane answered {response.StatusCode}");
        return response.StatusCode == HttpStatusCode.OK;
    }

    private async Task<string?> CredentialAsync(string? caller) => caller switch
    {
        null => null,
        "wrong" => "not-a-credential",
        _ => await _service.TokenAsync(caller),
    };

    private static List<Role> RolesOf(List<RouteEndpoint> routes, string pattern) =>
        [.. routes.Where(r => r.RoutePattern.RawText?.TrimStart('/') == pattern).SelectMany(r => r.Metadata.GetOrderedMetadata<RequiredRole>()).Select(r => r.Role)];
}

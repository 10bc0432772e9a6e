using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Api.Rest;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Api;

/// <summary>
/// The role matrix, generated: every method <c>rpc.discover</c> lists and every route in the service's route
/// table, called with no credential and with each role. A new method or route is in the matrix the moment it
/// exists; one without a role must be on the short list of public endpoints below, or this test fails.
/// </summary>
public sealed class AuthorizationMatrixTests : IAsyncLifetime
{
    private static readonly string?[] Roles = [null, "viewer", "operator", "admin"];

    /// <summary>Methods anyone may call, before authenticating.</summary>
    private static readonly HashSet<string> PublicMethods = ["ping", "authenticate", "rpc.discover"];

    /// <summary>Routes without a role, each for a reason: probes, the console's static files, the scrape, the API description (like rpc.discover), the socket (it authenticates per message), callbacks that check their caller.</summary>
    private static readonly string[] PublicRoutePrefixes = ["/health", "/openapi.json", "/metrics", "/ws", "/console/", "/internal/mediamtx/auth", "/dapr/", "/actors/", "/healthz"];

    private TestService _service = null!;

    public async ValueTask InitializeAsync() => _service = await TestService.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Every_discovered_method_enforces_its_role()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var anonymous = await _service.ConnectAsync(cancellationToken: ct);
        var methods = (await anonymous.CallAsync("rpc.discover", cancellationToken: ct)).Result.GetProperty("methods").EnumerateArray()
            .Select(m => (Name: m.GetProperty("name").GetString()!, Role: m.GetProperty("x-required-role").GetString()!)).ToList();
        Assert.True(methods.Count >= 30);
        var clients = new Dictionary<string, RpcTestClient> { ["none"] = anonymous };
        foreach (var role in Roles.OfType<string>())
        {
            clients[role] = await _service.ConnectAsync(role, ct);
        }

        var failures = new List<string>();
        try
        {
            foreach (var (name, needs) in methods)
            {
                if (needs == "none" && !PublicMethods.Contains(name))
                {
                    failures.Add($"{name} needs no role but is not on the public list");
                }

                foreach (var (role, client) in clients)
                {
                    // Empty params: past the role check a method fails on its params or runs without side effects worth having.
                    var response = await client.CallAsync(name, new { }, ct);
                    var code = response.IsError ? response.ErrorCode : 0;
                    var expected = Rank(role) >= Rank(needs) ? "allowed" : role == "none" ? "-32001" : "-32002";
                    var got = code is -32001 or -32002 ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : "allowed";
                    if (expected != got)
                    {
                        failures.Add($"{name} (needs {needs}) as {role}: expected {expected}, got {response}");
                    }
                }
            }
        }
        finally
        {
            foreach (var client in clients.Values.Where(c => c != anonymous))
            {
                await client.DisposeAsync();
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task Every_route_in_the_route_table_enforces_its_role()
    {
        var ct = TestContext.Current.CancellationToken;
        var routes = _service.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/'), Needs: e.Metadata.GetMetadata<RequiredRole>()?.Role.ToString().ToLowerInvariant())))
            .Distinct().ToList();
        Assert.True(routes.Count(r => r.Needs is not null) >= 15, $"only {routes.Count(r => r.Needs is not null)} routes with a role");
        var tokens = new Dictionary<string, string>();
        foreach (var role in Roles.OfType<string>())
        {
            tokens[role] = await _service.TokenAsync(role);
        }

        using var http = new HttpClient { BaseAddress = _service.BaseUri };
        var failures = new List<string>();
        foreach (var (method, pattern, needs) in routes)
        {
            if (needs is null)
            {
                if (pattern != "/" && !PublicRoutePrefixes.Any(p => pattern.StartsWith(p, StringComparison.Ordinal)))
                {
                    failures.Add($"{method} {pattern} has no role and is not on the public list");
                }

                continue;
            }

            var path = System.Text.RegularExpressions.Regex.Replace(pattern, "\\{[^}]+\\}", "no-such-thing.jpg");
            foreach (var role in Roles)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                }

                if (role is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[role]);
                }

                using var response = await http.SendAsync(request, ct);
                var expected = Rank(role ?? "none") >= Rank(needs) ? "allowed" : role is null ? "401" : "403";
                var got = response.StatusCode switch
                {
                    HttpStatusCode.Unauthorized => "401",
                    HttpStatusCode.Forbidden => "403",
                    _ => "allowed",
                };
                if (expected != got)
                {
                    failures.Add($"{method} {pattern} (needs {needs}) as {role ?? "none"}: expected {expected}, got {(int)response.StatusCode}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static int Rank(string role) => role switch
    {
        "viewer" => 1,
        "operator" => 2,
        "admin" => 3,
        _ => 0,
    };
}

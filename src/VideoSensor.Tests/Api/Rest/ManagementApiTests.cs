using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Api.Rest;

/// <summary>The REST management plane over real HTTP against the real host.</summary>
public sealed class ManagementApiTests
{
    private static readonly (string Method, string Path, string? Body, string Role)[] Endpoints =
    [
        ("GET", "/api/v1/config", null, "viewer"),
        ("GET", "/api/v1/sources", null, "viewer"),
        ("GET", "/api/v1/sources/nope", null, "viewer"),
        ("POST", "/api/v1/sources", """{"id":"matrix","url":"not a url"}""", "operator"),
        ("PUT", "/api/v1/sources/nope", """{"url":"rtsp://127.0.0.1:1/x"}""", "operator"),
        ("DELETE", "/api/v1/sources/nope", null, "operator"),
        ("POST", "/api/v1/cameras/test0/snapshot", """{"max_width":64}""", "operator"),
        ("GET", "/api/v1/cameras/test0/preview.jpg?max_width=64", null, "viewer"),
    ];

    private static readonly string[] Roles = ["viewer", "operator", "admin"];

    private static HttpRequestMessage Request(string method, string path, string? body) => new(new HttpMethod(method), path)
    {
        Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
    };

    [Fact]
    public async Task Every_endpoint_checks_the_role_like_the_JSON_RPC_methods()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(cancellationToken: ct);
        var failures = new List<string>();
        foreach (var (method, path, body, needed) in Endpoints)
        {
            using var anonymous = await service.HttpAsync();
            var anon = await anonymous.SendAsync(Request(method, path, body), ct);
            if (anon.StatusCode != HttpStatusCode.Unauthorized)
            {
                failures.Add($"{method} {path} anonymous: {anon.StatusCode}");
            }

            foreach (var role in Roles)
            {
                using var http = await service.HttpAsync(role);
                var response = await http.SendAsync(Request(method, path, body), ct);
                var allowed = Array.IndexOf(Roles, role) >= Array.IndexOf(Roles, needed);
                var ok = allowed ? response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)response.StatusCode < 500
                    : response.StatusCode == HttpStatusCode.Forbidden;
                if (!ok)
                {
                    failures.Add($"{method} {path} as {role}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                }
            }
        }

        Assert.Empty(failures);
    }

    [Theory]
    [InlineData("""{"id":"cam1","url":"http://example.test/x"}""", "url")]
    [InlineData("""{"id":"cam1","url":"not a url"}""", "url")]
    [InlineData("""{"id":"cam1","url":"rtsp://user:pw@127.0.0.1:554/x"}""", "url")]
    [InlineData("""{"id":"cam1","url":"rtsp://127.0.0.1:554/x","password":"hunter2"}""", "password")]
    [InlineData("""{"id":"cam1","url":"rtsp://127.0.0.1:554/x","username":{"secret":"s","key":"k","value":"x"}}""", "username.value")]
    [InlineData("""{"id":"cam1","url":"rtsp://127.0.0.1:554/x","fps":"fast"}""", "fps")]
    [InlineData("""{"id":"cam1","url":"rtsp://127.0.0.1:554/x","fps":500}""", "fps")]
    [InlineData("""{"id":"cam1","url":"rtsp://127.0.0.1:554/x","colour":"red"}""", "colour")]
    [InlineData("""{"id":"bad id!","url":"rtsp://127.0.0.1:554/x"}""", "id")]
    [InlineData("""{"id":42,"url":"rtsp://127.0.0.1:554/x"}""", "id")]
    [InlineData("""{"id":"cam1"}""", "url")]
    [InlineData("""{"id":"cam1","url":"rtsp://127.0.0.1:554/x","transport":"carrier-pigeon"}""", "transport")]
    [InlineData("""[1,2]""", "(body)")]
    public async Task Invalid_source_bodies_get_a_400_naming_the_field(string body, string field)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(cancellationToken: ct);
        using var http = await service.HttpAsync("admin");

        var response = await http.SendAsync(Request("POST", "/api/v1/sources", body), ct);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
        var list = JsonDocument.Parse(await http.GetStringAsync("/api/v1/sources", ct)).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.DoesNotContain("hunter2", problem.ToString(), StringComparison.Ordinal);
        Assert.Empty(list.GetProperty("sources").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"quality":"high"}""", "quality")]
    [InlineData("""{"quality":500}""", "quality")]
    [InlineData("""{"format":"gif"}""", "format")]
    [InlineData("""{"zoom":2}""", "zoom")]
    public async Task Invalid_snapshot_bodies_get_a_400_naming_the_field(string body, string field)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(cancellationToken: ct);
        using var http = await service.HttpAsync("operator");

        var response = await http.SendAsync(Request("POST", "/api/v1/cameras/test0/snapshot", body), ct);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_source_added_over_REST_is_a_camera_that_takes_snapshots_and_can_be_changed_and_removed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var camera = await RtspTestServer.StartAsync(keyInt: 5);
        await using var service = await TestService.StartAsync(cancellationToken: ct);
        using var http = await service.HttpAsync("admin");
        await using var client = await service.ConnectAsync("operator", ct);

        var created = await http.PostAsync("/api/v1/sources", new StringContent($$"""{"id":"door","name":"Front door","url":"{{camera.Url}}"}""", Encoding.UTF8, "application/json"), ct);
        var createdBody = JsonDocument.Parse(await created.Content.ReadAsStringAsync(ct)).RootElement;
        var list = (await client.CallAsync("get_camera_list", cancellationToken: ct)).EnsureSuccess().Result;
        var snapshot = await http.PostAsync("/api/v1/cameras/door/snapshot", new StringContent("""{"max_width":160,"format":"png"}""", Encoding.UTF8, "application/json"), ct);
        var snapshotBody = JsonDocument.Parse(await snapshot.Content.ReadAsStringAsync(ct)).RootElement;
        var file = await http.GetByteArrayAsync(snapshotBody.GetProperty("download_url").GetString(), ct);
        var duplicate = await http.PostAsync("/api/v1/sources", new StringContent($$"""{"id":"door","url":"{{camera.Url}}"}""", Encoding.UTF8, "application/json"), ct);
        var renamed = await http.PutAsync("/api/v1/sources/door", new StringContent($$"""{"name":"Back door","url":"{{camera.Url}}","transport":"tcp"}""", Encoding.UTF8, "application/json"), ct);
        var stateFile = await File.ReadAllTextAsync(Path.Combine(service.StorageRoot, "state", "sources.json"), ct);
        var deleted = await http.DeleteAsync("/api/v1/sources/door", ct);
        var afterDelete = (await client.CallAsync("get_camera_list", cancellationToken: ct)).EnsureSuccess().Result;
        var gone = await http.GetAsync("/api/v1/sources/door", ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/sources/door", created.Headers.Location?.OriginalString);
        Assert.Equal(("CONNECTED", "api"), (createdBody.GetProperty("status").GetString(), createdBody.GetProperty("origin").GetString()));
        var listed = list.GetProperty("cameras").EnumerateArray().Single(c => c.GetProperty("device").GetString() == "door");
        Assert.Equal(("Front door", "CONNECTED"), (listed.GetProperty("name").GetString(), listed.GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.OK, snapshot.StatusCode);
        Assert.Equal(("SUCCESS", "png"), (snapshotBody.GetProperty("status").GetString(), snapshotBody.GetProperty("format").GetString()));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, file[..4]);
        Assert.Equal(160, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(16, 4)));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Contains("Back door", stateFile, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.DoesNotContain(afterDelete.GetProperty("cameras").EnumerateArray(), c => c.GetProperty("device").GetString() == "door");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task The_effective_config_is_shown_with_secrets_redacted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(cancellationToken: ct);
        using var http = await service.HttpAsync("viewer");

        var config = JsonDocument.Parse(await http.GetStringAsync("/api/v1/config", ct)).RootElement;

        Assert.Equal(service.Port, config.GetProperty("server").GetProperty("port").GetInt32());
        Assert.Equal(8, config.GetProperty("limits").GetProperty("max_streams").GetInt32());
        var keys = config.GetProperty("security").GetProperty("api_keys").EnumerateArray().ToList();
        Assert.Equal(2, keys.Count);
        Assert.All(keys, k => Assert.Equal("***", k.GetProperty("sha256").GetString()));
        Assert.DoesNotContain(ApiKeys.Sha256(ApiKeys.Admin), config.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("test0", config.GetProperty("cameras").GetProperty("test_patterns")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_OpenAPI_document_parses_and_lists_every_management_endpoint()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(cancellationToken: ct);
        using var http = await service.HttpAsync();

        var json = await http.GetStringAsync("/openapi.json", ct);
        var result = OpenApiDocument.Parse(json, "json", new OpenApiReaderSettings());
        var endpoints = service.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Path: "/" + e.RoutePattern.RawText!.Trim('/'), Method: m)))
            .ToList();

        Assert.Empty(result.Diagnostic?.Errors ?? []);
        Assert.NotNull(result.Document);
        Assert.Contains(endpoints, e => e.Path == "/api/v1/sources/{id}" && e.Method == "PUT");
        Assert.True(endpoints.Count >= 10, string.Join(", ", endpoints));
        var missing = endpoints.Where(e => result.Document!.Paths.TryGetValue(e.Path, out var item) is false
            || item.Operations?.ContainsKey(new HttpMethod(e.Method)) != true).ToList();
        Assert.Empty(missing);
    }
}

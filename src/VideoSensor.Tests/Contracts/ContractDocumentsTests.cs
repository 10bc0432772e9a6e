using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using VideoSensor.EventContract;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Contracts;

/// <summary>
/// The two machine-readable contracts as clients and generators read them: the OpenRPC document from
/// <c>rpc.discover</c> and <c>/openapi.json</c> pass the reference validators from npm
/// (tools/contracts: @open-rpc/schema-utils-js, @apidevtools/swagger-parser), and say everything a
/// client needs — schemas, errors, notifications, operationIds, security, problem responses.
/// </summary>
public sealed class ContractDocumentsTests : IAsyncLifetime
{
    private TestService _service = null!;
    private JsonDocument _openRpc = null!;
    private JsonDocument _openApi = null!;
    private string _openRpcText = "";
    private string _openApiText = "";

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _service = await TestService.StartAsync(cancellationToken: ct);
        await using var client = await _service.ConnectAsync(cancellationToken: ct);
        _openRpcText = (await client.CallAsync("rpc.discover", cancellationToken: ct)).EnsureSuccess().Result.GetRawText();
        using var http = await _service.HttpAsync();
        _openApiText = await http.GetStringAsync("/openapi.json", ct);
        _openRpc = JsonDocument.Parse(_openRpcText);
        _openApi = JsonDocument.Parse(_openApiText);
    }

    public async ValueTask DisposeAsync()
    {
        _openRpc?.Dispose();
        _openApi?.Dispose();
        await _service.DisposeAsync();
    }

    [Fact]
    public async Task Both_documents_pass_the_reference_validators()
    {
        var ct = TestContext.Current.CancellationToken;
        var tools = RepoFile("tools/contracts");
        Assert.True(Directory.Exists(Path.Combine(tools, "node_modules", "@open-rpc", "schema-utils-js")) && Directory.Exists(Path.Combine(tools, "node_modules", "@apidevtools", "swagger-parser")),
            "the npm validators are not installed: run `npm ci --prefix tools/contracts` (.ci/run and scripts/deps.sh test do)");
        using var dir = new TempDirectory();
        var openRpc = dir.Combine("openrpc.json");
        var openApi = dir.Combine("openapi.json");
        await File.WriteAllTextAsync(openRpc, _openRpcText, ct);
        await File.WriteAllTextAsync(openApi, _openApiText, ct);

        var result = await Cli.Wrap("node").WithArguments([Path.Combine(tools, "validate.mjs"), openRpc, openApi])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(ct);

        var output = result.StandardOutput + result.StandardError;
        Assert.True(result.ExitCode == 0, output);
        Assert.Contains("openrpc: valid (", output, StringComparison.Ordinal);
        Assert.Contains("openapi: valid (", output, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenRpc_declares_results_errors_enums_and_notifications()
    {
        var root = _openRpc.RootElement;
        foreach (var method in root.GetProperty("methods").EnumerateArray())
        {
            var name = method.GetProperty("name").GetString();
            var schema = method.GetProperty("result").GetProperty("schema");
            Assert.True(schema.TryGetProperty("type", out _), $"{name}: result schema says nothing: {schema}");
            var errors = method.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetInt32()).ToList();
            Assert.Contains(-32603, errors);
            if (method.GetProperty("x-required-role").GetString() != "none")
            {
                Assert.Contains(-32001, errors);
            }
        }

        var status = Method(root, "get_status").GetProperty("result").GetProperty("schema");
        Assert.Equal(["RUNNING", "STOPPED", "ERROR", "STARTING", "STOPPING"],
            status.GetProperty("properties").GetProperty("components").GetProperty("additionalProperties").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        var camera = Method(root, "get_camera_status").GetProperty("result").GetProperty("schema");
        Assert.Equal(["CONNECTED", "DISCONNECTED", "ERROR"], camera.GetProperty("properties").GetProperty("status").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(-32010, Method(root, "get_camera_status").GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetInt32()));
        var metrics = Method(root, "get_metrics").GetProperty("result").GetProperty("schema").GetProperty("properties").GetProperty("system_metrics");
        Assert.Superset(new HashSet<string> { "cpu_usage", "memory_usage", "disk_usage", "goroutines" }, metrics.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).ToHashSet());

        var notifications = root.GetProperty("x-notifications").EnumerateArray().ToDictionary(n => n.GetProperty("name").GetString()!, n => n.GetProperty("params"));
        Assert.Superset(new HashSet<string>([.. EventTopics.All, "camera_status_update", "recording_status_update", "system_health_update"]), notifications.Keys.ToHashSet());
        Assert.Equal(["device", "status"], notifications["camera_status_update"].GetProperty("required").EnumerateArray().Select(e => e.GetString()).Order());
    }

    [Fact]
    public void OpenApi_names_describes_and_secures_every_operation()
    {
        var root = _openApi.RootElement;
        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("X-API-Key", schemes.GetProperty("apiKey").GetProperty("name").GetString());
        Assert.DoesNotContain(root.GetProperty("paths").EnumerateObject(), p => p.Name.StartsWith("/internal/", StringComparison.Ordinal));

        var operationIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name != "parameters"))
            {
                var where = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                Assert.True(operation.Value.TryGetProperty("operationId", out var id) && operationIds.Add(id.GetString()!), $"{where}: no unique operationId");
                Assert.True(operation.Value.TryGetProperty("summary", out var summary) && summary.GetString()!.Length > 0, $"{where}: no summary");
                var responses = operation.Value.GetProperty("responses").EnumerateObject().ToList();
                Assert.Contains(responses, r => r.Name == "500" && r.Value.GetProperty("content").TryGetProperty("application/problem+json", out _));
                foreach (var ok in responses.Where(r => r.Name.StartsWith('2') && r.Name != "204"))
                {
                    Assert.True(ok.Value.TryGetProperty("content", out var content) && content.EnumerateObject().All(c => c.Value.TryGetProperty("schema", out _)),
                        $"{where} {ok.Name}: no response schema");
                }

                if (path.Name.StartsWith("/api/", StringComparison.Ordinal) || path.Name.StartsWith("/files/", StringComparison.Ordinal))
                {
                    Assert.True(operation.Value.TryGetProperty("security", out var security) && security.GetArrayLength() == 3, $"{where}: no security requirement");
                    Assert.Contains(responses, r => r.Name == "401");
                }
            }
        }

        Assert.Contains("listCameras", operationIds);
        Assert.True(operationIds.Count >= 19, string.Join(", ", operationIds));
    }

    private static JsonElement Method(JsonElement root, string name) =>
        root.GetProperty("methods").EnumerateArray().Single(m => m.GetProperty("name").GetString() == name);

    private static string RepoFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DaprCamera.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), relative);
    }
}

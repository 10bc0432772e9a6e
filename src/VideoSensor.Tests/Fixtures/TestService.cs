using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VideoSensor.Hosting;
using VideoSensor.Configuration.Live;
using VideoSensor.Configuration;
using VideoSensor.Security;

namespace VideoSensor.Tests.Fixtures;

/// <summary>
/// The real service host, in process, on free loopback ports with its own storage root. YAML given to
/// <see cref="StartAsync"/> is appended to a base config (ports, storage, dev-mode auth).
/// </summary>
public sealed class TestService : IAsyncDisposable
{
    private readonly TempDirectory _root;
    private readonly bool _ownsRoot;
    private WebApplication? _app;

    private TestService(TempDirectory root, bool ownsRoot)
    {
        _root = root;
        _ownsRoot = ownsRoot;
        Port = FreePort.Next();
        HealthPort = FreePort.Next();
    }

    public int Port { get; }
    public int HealthPort { get; }
    public string StorageRoot => _root.Combine("storage");
    public string RootPath => _root.Path;
    public Uri BaseUri => new($"http://127.0.0.1:{Port}");
    public Uri HealthUri => new($"http://127.0.0.1:{HealthPort}");
    public Uri WebSocketUri => new($"ws://127.0.0.1:{Port}/ws");
    public CapturedLogs Logs { get; } = new();
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("not started");

    /// <summary>Starts a service. <paramref name="yaml"/> adds sections (cameras:, media: …) to the base config.</summary>
    public static Task<TestService> StartAsync(string? yaml = null, Action<IServiceCollection>? configureServices = null, TempDirectory? root = null, CancellationToken cancellationToken = default)
        => new TestService(root ?? new TempDirectory(), ownsRoot: root is null).StartCoreAsync(yaml, configureServices, cancellationToken);

    /// <summary>The base config every test service gets, with this instance's ports and folders.</summary>
    public string BaseYaml(string? extra) => $"""
        server:
          bind_address: 127.0.0.1
          port: {Port}
          health_port: {HealthPort}
          public_host: sensor.test
          shutdown_timeout_seconds: 10
        security:
          dev_mode: true
          api_keys:
            - name: test-viewer
              sha256: {ApiKeys.Sha256(ApiKeys.Viewer)}
              role: viewer
            - name: test-admin
              sha256: {ApiKeys.Sha256(ApiKeys.Admin)}
              role: admin
        cameras:
          test_patterns:
            - id: test0
              name: Test pattern
              resolution: 640x360
              fps: 15
        storage:
          root: {StorageRoot}
        logging:
          level: Debug
        {Indent0(extra)}
        """;

    private async Task<TestService> StartCoreAsync(string? yaml, Action<IServiceCollection>? configureServices, CancellationToken cancellationToken)
    {
        var path = _root.Combine("config.yaml");
        await File.WriteAllTextAsync(path, MergeSections(BaseYaml(null), yaml), cancellationToken);
        var config = ConfigLoader.Load(path, readEnvironment: false);
        _app = SensorHost.Build(config, services =>
        {
            services.AddSingleton<ILoggerProvider>(Logs);
            configureServices?.Invoke(services);
        });
        await _app.StartAsync(cancellationToken);
        return this;
    }

    /// <summary>A token for a role, signed like the service's own (dev-mode secret of this instance).</summary>
    public async Task<string> TokenAsync(string role, TimeSpan? ttl = null, string user = "tester")
    {
        RoleExtensions.TryParse(role, out var parsed);
        return await Services.GetRequiredService<TokenService>().IssueAsync(user, parsed, ttl ?? TimeSpan.FromHours(1), CancellationToken.None);
    }

    public async Task<RpcTestClient> ConnectAsync(string? role = null, CancellationToken cancellationToken = default)
    {
        var client = await RpcTestClient.ConnectAsync(WebSocketUri, cancellationToken: cancellationToken);
        if (role is not null)
        {
            var response = await client.CallAsync("authenticate", new { auth_token = await TokenAsync(role) }, cancellationToken);
            response.EnsureSuccess();
        }

        return client;
    }

    public async Task<HttpClient> HttpAsync(string? role = null)
    {
        var http = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        if (role is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(role));
        }

        return http;
    }

    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }

        if (_ownsRoot)
        {
            _root.Dispose();
        }
    }

    /// <summary>Joins YAML documents whose top-level sections do not overlap, and merges the ones that do (extra keys win).</summary>
    internal static string MergeSections(string baseYaml, string? extra)
    {
        if (string.IsNullOrWhiteSpace(extra))
        {
            return baseYaml;
        }

        var sections = Split(baseYaml);
        foreach (var (name, body) in Split(extra))
        {
            sections[name] = sections.TryGetValue(name, out var existing) ? MergeBodies(existing, body) : body;
        }

        return string.Join("\n", sections.Select(s => $"{s.Key}:\n{s.Value}"));
    }

    /// <summary>Within one section, the extra's keys replace the base's keys of the same name.</summary>
    private static string MergeBodies(string baseBody, string extraBody)
    {
        var blocks = Blocks(baseBody);
        foreach (var (key, block) in Blocks(extraBody))
        {
            blocks[key] = block;
        }

        return string.Join("\n", blocks.Values);
    }

    private static Dictionary<string, string> Blocks(string body)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        string? key = null;
        var lines = new List<string>();
        var indent = body.Split('\n').Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(2).Min();
        foreach (var line in body.Split('\n'))
        {
            var lineIndent = line.Length - line.TrimStart().Length;
            if (line.Trim().Length > 0 && lineIndent == indent && !line.TrimStart().StartsWith('-'))
            {
                if (key is not null)
                {
                    result[key] = string.Join("\n", lines);
                }

                key = line.Trim().Split(':')[0];
                lines.Clear();
            }

            lines.Add(line);
        }

        if (key is not null)
        {
            result[key] = string.Join("\n", lines);
        }

        return result;
    }

    private static Dictionary<string, string> Split(string yaml)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        var lines = new List<string>();
        foreach (var raw in System.Text.RegularExpressions.Regex.Split(yaml.Replace("\r", ""), "\n"))
        {
            if (raw.Length > 0 && !char.IsWhiteSpace(raw[0]) && raw.TrimEnd().EndsWith(':'))
            {
                if (current is not null)
                {
                    result[current] = string.Join("\n", lines);
                }

                current = raw.TrimEnd()[..^1];
                lines.Clear();
            }
            else if (current is not null && raw.Trim().Length > 0)
            {
                lines.Add(raw);
            }
        }

        if (current is not null)
        {
            result[current] = string.Join("\n", lines);
        }

        return result;
    }

    private static string Indent0(string? text) => text ?? "";
}

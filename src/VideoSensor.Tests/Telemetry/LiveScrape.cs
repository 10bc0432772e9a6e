using System.Globalization;
using CliWrap;
using CliWrap.Buffered;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Telemetry;

/// <summary>
/// One running service (with the real MediaMTX when <c>MEDIAMTX_BINARY</c> names it) that has done some
/// work — RPC calls, a snapshot through the live stream, REST requests, refused credentials — and one
/// scrape of its <c>/metrics</c>, shared by the Prometheus tests.
/// </summary>
public sealed class LiveScrape : IAsyncLifetime
{
    public const int RestAuthFailures = 2;
    public const int RpcAuthFailures = 1;

    /// <summary>
    /// A process of its own: OpenTelemetry listens to meters by name, process-wide, so a service hosted inside the
    /// test process would also export the instruments of every other test's service running at the same time.
    /// </summary>
    public ServiceProcess Service { get; private set; } = null!;
    public string? MediaMtxBinary => Contracts.ManagedMediaMtx.Binary;
    public string Text { get; private set; } = "";

    /// <summary>Every sample of the scrape: metric name, labels, value.</summary>
    public IReadOnlyList<Sample> Samples { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Service = await ServiceProcess.StartAsync(null, ct, environment: Contracts.ManagedMediaMtx.Environment());
        var baseUri = new Uri($"http://127.0.0.1:{Service.Port}");
        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        if (MediaMtxBinary is not null)
        {
            await ScrapeUntilAsync(http, s => s.Name == "videosensor_mediamtx_up" && s.Value == 1, ct);
        }

        var (exit, token, stderr) = await ServiceProcess.RunCliAsync(["token", "--role", "admin"],
            new Dictionary<string, string> { ["VIDEOSENSOR__STORAGE__ROOT"] = Service.StorageRoot }, ct);
        Assert.True(exit == 0, stderr);
        token = token.Trim();
        var ws = new Uri($"ws://127.0.0.1:{Service.Port}/ws");
        await using (var admin = await RpcTestClient.ConnectAsync(ws, cancellationToken: ct))
        {
            (await admin.CallAsync("authenticate", new { auth_token = token }, ct)).EnsureSuccess();
            for (var i = 0; i < 5; i++)
            {
                (await admin.CallAsync("ping", cancellationToken: ct)).EnsureSuccess();
            }

            (await admin.CallAsync("take_snapshot", new { device = "test0" }, ct, TimeSpan.FromSeconds(60))).EnsureSuccess();
            (await admin.CallAsync("get_metrics", cancellationToken: ct)).EnsureSuccess();
        }

        await using (var stranger = await RpcTestClient.ConnectAsync(ws, cancellationToken: ct))
        {
            var refused = await stranger.CallAsync("authenticate", new { auth_token = "not-a-token" }, ct);
            Assert.Equal(-32001, refused.ErrorCode);
        }

        for (var i = 0; i < RestAuthFailures; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cameras");
            request.Headers.Authorization = new("Bearer", "wrong");
            using var refused = await http.SendAsync(request, ct);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cameras"))
        {
            request.Headers.Authorization = new("Bearer", token);
            (await http.SendAsync(request, ct)).EnsureSuccessStatusCode();
        }

        // The snapshot activated the camera's stream in MediaMTX: scrape once its path delivers media.
        await ScrapeUntilAsync(http, s => MediaMtxBinary is null
            || (s.Name == "videosensor_stream_ready" && s.Labels.GetValueOrDefault("path") == "test0" && s.Value == 1), ct);
    }

    public async ValueTask DisposeAsync() => await Service.DisposeAsync();

    private async Task ScrapeUntilAsync(HttpClient http, Func<Sample, bool> seen, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            Text = await http.GetStringAsync("/metrics", ct);
            Samples = Parse(Text);
        }
        while (!Samples.Any(seen) && DateTime.UtcNow < deadline && await Delay(ct));
        Assert.True(Samples.Any(seen), $"the scrape never showed what the test waits for; service output:\n{Service.Output}");
    }

    public IEnumerable<string> Names => Samples.Select(s => s.Name).Distinct(StringComparer.Ordinal);

    /// <summary><c>promtool check metrics</c> over the scrape: its exit code and everything it printed.</summary>
    public async Task<(int ExitCode, string Output)> PromtoolAsync(CancellationToken ct)
    {
        var promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("promtool is not installed: it comes with the Debian package prometheus (scripts/deps.sh test)");
        var result = await Cli.Wrap(promtool).WithArguments(["check", "metrics"])
            .WithStandardInputPipe(PipeSource.FromString(Text))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(ct);
        return (result.ExitCode, (result.StandardOutput + result.StandardError).Trim());
    }

    private static async Task<bool> Delay(CancellationToken ct)
    {
        await Task.Delay(500, ct);
        return true;
    }

    private static List<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.LastIndexOf(' ');
            var name = brace > 0 ? line[..brace] : line[..line.IndexOf(' ', StringComparison.Ordinal)];
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (brace > 0)
            {
                var body = line[(brace + 1)..line.LastIndexOf('}')];
                foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(body, "([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\""))
                {
                    labels[m.Groups[1].Value] = m.Groups[2].Value;
                }
            }

            var valueText = line[(space + 1)..];
            var value = valueText switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                _ => double.Parse(valueText, CultureInfo.InvariantCulture),
            };
            samples.Add(new Sample(name, labels, value));
        }

        return samples;
    }
}

/// <summary>One line of the Prometheus text format.</summary>
public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

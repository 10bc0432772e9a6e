using System.Globalization;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Media.MediaMtx;
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

    public TestService Service { get; private set; } = null!;
    public string? MediaMtxBinary => Contracts.ManagedMediaMtx.Binary;
    public string Text { get; private set; } = "";

    /// <summary>Every sample of the scrape: metric name, labels, value.</summary>
    public IReadOnlyList<Sample> Samples { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Service = await TestService.StartAsync(Contracts.ManagedMediaMtx.Yaml(), cancellationToken: ct);
        if (MediaMtxBinary is not null)
        {
            await Media.ExternalMediaMtx.WaitUntilRunningAsync(Service.Services.GetRequiredService<MediaMtxState>(), TimeSpan.FromSeconds(30));
        }

        await using (var admin = await Service.ConnectAsync("admin", ct))
        {
            for (var i = 0; i < 5; i++)
            {
                (await admin.CallAsync("ping", cancellationToken: ct)).EnsureSuccess();
            }

            (await admin.CallAsync("take_snapshot", new { device = "test0" }, ct, TimeSpan.FromSeconds(60))).EnsureSuccess();
            (await admin.CallAsync("get_metrics", cancellationToken: ct)).EnsureSuccess();
        }

        await using (var stranger = await Service.ConnectAsync(cancellationToken: ct))
        {
            var refused = await stranger.CallAsync("authenticate", new { auth_token = "not-a-token" }, ct);
            Assert.Equal(-32001, refused.ErrorCode);
        }

        using var http = new HttpClient { BaseAddress = Service.BaseUri };
        for (var i = 0; i < RestAuthFailures; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cameras");
            request.Headers.Authorization = new("Bearer", "wrong");
            using var refused = await http.SendAsync(request, ct);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var viewer = await Service.HttpAsync("viewer");
        (await viewer.GetAsync("/api/v1/cameras", ct)).EnsureSuccessStatusCode();
        (await viewer.GetAsync("/health", ct)).EnsureSuccessStatusCode();

        // The snapshot activated the camera's stream in MediaMTX: scrape once its path delivers media.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            Text = await http.GetStringAsync("/metrics", ct);
            Samples = Parse(Text);
        }
        while (MediaMtxBinary is not null && !Samples.Any(s => s.Name == "videosensor_stream_ready" && s.Labels.GetValueOrDefault("path") == "test0" && s.Value == 1)
            && DateTime.UtcNow < deadline && await Delay(ct));
    }

    public async ValueTask DisposeAsync() => await Service.DisposeAsync();

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

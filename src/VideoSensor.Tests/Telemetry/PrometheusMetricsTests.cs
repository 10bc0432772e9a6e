using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace VideoSensor.Tests.Telemetry;

/// <summary>
/// <c>/metrics</c> as a Prometheus user meets it: promtool accepts the scrape, durations are seconds in
/// buckets that separate fast from slow calls, the service says who it is, the figures match what the
/// service did, and the Grafana dashboard in deploy/ queries only series that exist.
/// </summary>
public sealed partial class PrometheusMetricsTests(LiveScrape scrape) : IClassFixture<LiveScrape>
{
    [Fact]
    public async Task Promtool_accepts_the_live_scrape()
    {
        var (exitCode, output) = await scrape.PromtoolAsync(TestContext.Current.CancellationToken);

        Assert.True(exitCode == 0 && output.Length == 0, $"promtool check metrics exited {exitCode}: {output}");
    }

    [Fact]
    public void Rpc_durations_fall_into_more_than_one_seconds_bucket()
    {
        // Cumulative bucket counts summed over methods: each rise from one bound to the next is a bucket with observations.
        var buckets = scrape.Samples.Where(s => s.Name == "videosensor_rpc_duration_seconds_bucket")
            .GroupBy(s => Bound(s.Labels["le"]))
            .OrderBy(g => g.Key)
            .Select(g => g.Sum(s => s.Value))
            .ToList();
        var filled = buckets.Zip(buckets.Prepend(0)).Count(p => p.First > p.Second);

        Assert.True(filled >= 2, $"observations in {filled} bucket(s): {string.Join(", ", buckets)}");
        // Bounds are seconds: pings land below 10 ms (the first may wait for the JIT), the snapshot above.
        var ping = scrape.Samples.Single(s => s.Name == "videosensor_rpc_duration_seconds_bucket" && s.Labels["method"] == "ping" && s.Labels["le"] == "0.01");
        Assert.InRange(ping.Value, 3, 5);
        var snapshot = scrape.Samples.Single(s => s.Name == "videosensor_rpc_duration_seconds_bucket" && s.Labels["method"] == "take_snapshot" && s.Labels["le"] == "0.01");
        Assert.Equal(0, snapshot.Value);
    }

    [Fact]
    public void The_service_names_itself_and_reports_what_it_did()
    {
        var target = scrape.Samples.Single(s => s.Name == "target_info");
        Assert.Equal("videosensor", target.Labels["service_name"]);
        Assert.Equal(typeof(VideoSensor.Hosting.SensorHost).Assembly.GetName().Version!.ToString(3), target.Labels["service_version"]);

        Assert.Equal(1, Value("videosensor_camera_up", ("camera", "test0")));
        Assert.Equal(1, Value("videosensor_camera_status", ("camera", "test0"), ("status", "CONNECTED")));
        Assert.Equal(15, Value("videosensor_camera_frame_rate", ("camera", "test0")));
        Assert.Equal(LiveScrape.RestAuthFailures, Value("videosensor_auth_failures_total", ("transport", "rest")));
        Assert.Equal(LiveScrape.RpcAuthFailures, Value("videosensor_auth_failures_total", ("transport", "rpc")));
        Assert.Equal(1, Value("videosensor_snapshots_total", ("camera", "test0"), ("outcome", "ok")));
        Assert.Equal(LiveScrape.RestAuthFailures, Value("http_server_request_duration_seconds_count", ("http_route", "/api/v1/cameras"), ("http_response_status_code", "401")));
        Assert.Equal(1, Value("http_server_request_duration_seconds_count", ("http_route", "/api/v1/cameras"), ("http_response_status_code", "200")));

        var drive = new DriveInfo(scrape.Service.StorageRoot);
        Assert.Equal(drive.TotalSize, Value("videosensor_storage_capacity_bytes"));
        Assert.Equal(drive.AvailableFreeSpace, Value("videosensor_storage_free_bytes"), drive.TotalSize * 0.01);

        if (scrape.MediaMtxBinary is not null)
        {
            Assert.Equal(1, Value("videosensor_mediamtx_up"));
            Assert.Equal(0, Value("videosensor_mediamtx_restarts_total"));
            Assert.Equal(1, Value("videosensor_stream_ready", ("path", "test0")));
            Assert.True(Value("videosensor_stream_received_bytes_total", ("path", "test0")) > 0);
        }
    }

    [Fact]
    public void The_grafana_dashboard_queries_only_series_of_a_live_scrape()
    {
        Assert.SkipWhen(scrape.MediaMtxBinary is null, "the stream panels need MediaMTX's paths: set MEDIAMTX_BINARY to a mediamtx binary");
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepoFile("deploy/grafana/videosensor-dashboard.json")));
        var queries = Queries(dashboard.RootElement).ToList();
        Assert.True(queries.Count >= 20, $"{queries.Count} queries");

        var names = scrape.Names.ToHashSet(StringComparer.Ordinal);
        var missing = queries.SelectMany(q => MetricName().Matches(q).Select(m => (Query: q, Name: m.Value)))
            .Where(x => !names.Contains(x.Name))
            .ToList();
        Assert.True(missing.Count == 0, "not in the scrape: " + string.Join("; ", missing.Select(m => $"{m.Name} in {m.Query}")));
    }

    private double Value(string name, params (string Key, string Value)[] labels) =>
        scrape.Samples.Single(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value)).Value;

    private static double Bound(string le) => le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);

    /// <summary>Every PromQL string of the dashboard: panel targets and template variable queries.</summary>
    private static IEnumerable<string> Queries(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name is "expr" or "definition" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        yield return property.Value.GetString()!;
                    }

                    foreach (var inner in Queries(property.Value))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var inner in Queries(item))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }

    private static string RepoFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DaprCamera.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), relative);
    }

    // The series names the dashboard uses: the service's own, ASP.NET Core's HTTP histogram, the runtime's, target_info.
    [GeneratedRegex(@"\b(?:videosensor|http_server|dotnet)_[a-z0-9_]+\b|\btarget_info\b")]
    private static partial Regex MetricName();
}

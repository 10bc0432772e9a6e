using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VideoSensor.Api.WebConsole;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Console;

/// <summary>The console's files over HTTP: content types, security headers, caching, and the service port only.</summary>
public sealed partial class ConsoleServingTests : IClassFixture<ConsoleFixture>
{
    private readonly ConsoleFixture _fixture;

    public ConsoleServingTests(ConsoleFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Page_and_every_asset_it_references_are_served_with_their_content_type_and_a_strict_csp()
    {
        using var http = await _fixture.Service.HttpAsync();
        using var page = await http.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ').Skip(1).ToArray());
        Assert.Equal(["'none'"], directives["default-src"]);
        Assert.Equal(["'self'"], directives["script-src"]);
        Assert.Equal(["'self'"], directives["style-src"]);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());

        // Every script and stylesheet the page and its modules import is there, with the right type.
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotMatch("<script>|<style>| style=| on[a-z]+=", html);
        var pending = new Queue<string>(Refs().Matches(html).Select(m => m.Groups["path"].Value));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var path))
        {
            if (!seen.Add(path))
            {
                continue;
            }

            using var asset = await http.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.True(asset.StatusCode == HttpStatusCode.OK, $"{path}: {asset.StatusCode}");
            var expected = path.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : path.EndsWith(".css", StringComparison.Ordinal) ? "text/css" : "image/svg+xml";
            Assert.Equal(expected, asset.Content.Headers.ContentType?.MediaType);
            Assert.Equal(csp, string.Join(";", asset.Headers.GetValues("Content-Security-Policy")));
            if (path.EndsWith(".js", StringComparison.Ordinal))
            {
                var source = await asset.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                Assert.DoesNotContain("eval(", source, StringComparison.Ordinal);
                foreach (Match import in Imports().Matches(source))
                {
                    pending.Enqueue("/console/js/" + import.Groups["file"].Value);
                }
            }
        }

        Assert.Equal(new ConsoleAssets().Paths.Count(p => p.EndsWith(".js", StringComparison.Ordinal)), seen.Count(p => p.EndsWith(".js", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("cam-box.example")]
    [InlineData("192.0.2.7")]
    [InlineData("[2001:db8::7]")]
    public async Task The_csp_lets_the_page_reach_mediamtx_on_the_host_it_was_loaded_from(string host)
    {
        var media = _fixture.Service.Services.GetRequiredService<IOptions<VideoSensor.Media.MediaOptions>>().Value;
        using var http = await _fixture.Service.HttpAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = $"{host}:{_fixture.Service.Port}";
        using var page = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var directives = string.Join(";", page.Headers.GetValues("Content-Security-Policy"))
            .Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ').Skip(1).ToArray());
        string[] dataPlane = [$"http://{host}:{media.WebRtcPort}", $"http://{host}:{media.HlsPort}"];
        Assert.Equal(["'self'", .. dataPlane], directives["connect-src"]);
        Assert.Equal(["'self'", "blob:", .. dataPlane], directives["media-src"]);
    }

    [Fact]
    public async Task Assets_revalidate_with_their_etag()
    {
        using var http = await _fixture.Service.HttpAsync();
        using var first = await http.GetAsync(new Uri("/console/js/app.js", UriKind.Relative), TestContext.Current.CancellationToken);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.Contains("no-cache", first.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/console/js/app.js");
        again.Headers.IfNoneMatch.Add(etag);
        using var second = await http.SendAsync(again, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task Config_names_the_websocket_path_and_refresh_timing()
    {
        using var http = await _fixture.Service.HttpAsync();
        var json = await http.GetStringAsync(new Uri("/console/config.json", UriKind.Relative), TestContext.Current.CancellationToken);
        using var config = JsonDocument.Parse(json);
        Assert.Equal("/ws", config.RootElement.GetProperty("websocket_path").GetString());
        Assert.True(config.RootElement.GetProperty("snapshot_refresh_seconds").GetInt32() > 0);
        Assert.True(config.RootElement.GetProperty("live_timeout_seconds").GetInt32() > 0);
    }

    [Theory]
    [InlineData("/console/js/missing.js")]
    [InlineData("/console/../VideoSensor.dll")]
    [InlineData("/console/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/console/")]
    public async Task Unknown_or_traversing_paths_are_not_found(string path)
    {
        using var http = await _fixture.Service.HttpAsync();
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_health_port_does_not_serve_the_console()
    {
        using var http = new HttpClient { BaseAddress = _fixture.Service.HealthUri };
        using var response = await http.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var health = await http.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task A_disabled_console_leaves_the_root_unanswered()
    {
        await using var service = await TestService.StartAsync("""
            console:
              enabled: false
            """, cancellationToken: TestContext.Current.CancellationToken);
        using var http = await service.HttpAsync();
        using var response = await http.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [GeneratedRegex("(?:src|href)=\"(?<path>/console/[^\"]+)\"")]
    private static partial Regex Refs();

    [GeneratedRegex(@"from '\./(?<file>[a-z]+\.js)'")]
    private static partial Regex Imports();
}

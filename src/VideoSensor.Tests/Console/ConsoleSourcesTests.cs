using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Cameras.Rtsp;
using VideoSensor.Storage;
using VideoSensor.Tests.Console.Browser;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Console;

/// <summary>
/// Sources and settings in the page, as an admin, against the real service and a real RTSP camera (GStreamer's
/// RTSP server with basic auth): a source added with its credentials becomes a CONNECTED camera, and its
/// password shows up nowhere afterwards — not in the page, not in any API answer, not in the logs.
/// </summary>
public sealed class ConsoleSourcesTests : IClassFixture<ConsoleFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);
    private readonly ConsoleFixture _fixture;

    public ConsoleSourcesTests(ConsoleFixture fixture) => _fixture = fixture;

    private TestService Service => _fixture.Service;

    [Fact]
    public async Task A_source_added_in_the_page_becomes_a_connected_camera_and_its_password_is_never_shown_again()
    {
        var ct = TestContext.Current.CancellationToken;
        var password = $"Pw-{Guid.NewGuid():N}"[..20];
        await using var camera = await RtspTestServer.StartAsync("doorman", password, keyInt: 5);
        await using var browser = await Chromium.LaunchAsync(ct);
        var page = await _fixture.SignInAsync(browser, await Service.TokenAsync("admin"));
        await page.EvaluateAsync("location.hash = '#sources'");
        await page.WaitForAsync("document.body.dataset.view === 'sources' && document.querySelector('#settings-fields input').value !== ''", Wait);

        await page.FillAsync("#source-id", "door");
        await page.FillAsync("#source-name", "Front door");
        await page.FillAsync("#source-url", camera.Url);
        await page.FillAsync("#source-username", "doorman");
        await page.FillAsync("#source-password", password);
        await page.FillAsync("#source-resolution", "640x480");
        await page.FillAsync("#source-fps", "15");
        await page.ClickAsync("#source-form button[type=submit]");

        await page.WaitForAsync("document.querySelector('#source-rows li[data-id=door]')?.dataset.status === 'CONNECTED'", Wait,
            "(document.querySelector('#source-rows li[data-id=door]')?.textContent || '') + ' / ' + document.querySelector('#source-error').textContent");
        Assert.Equal("", (await page.EvaluateAsync("document.querySelector('#source-password').value")).GetString());
        Assert.Contains("password stored", await page.TextAsync("#source-rows li[data-id=door]"), StringComparison.Ordinal);
        await page.ScreenshotAsync("sources-added-admin-1280x800", fullPage: true);

        // The camera is real: CONNECTED for the service and in the grid, without a reload.
        var list = await _fixture.CameraListAsync();
        var door = list.GetProperty("cameras").EnumerateArray().Single(c => c.GetProperty("device").GetString() == "door");
        Assert.Equal("CONNECTED", door.GetProperty("status").GetString());
        await page.EvaluateAsync("location.hash = '#cameras'");
        await page.WaitForAsync("document.querySelector('.tile[data-device=door]')?.dataset.status === 'CONNECTED'", Wait);

        // Edit without touching the password: the stored one is kept (still CONNECTED), and the form never shows it.
        await page.EvaluateAsync("location.hash = '#sources'");
        await page.ClickAsync("#source-rows li[data-id=door] [data-action=edit]");
        Assert.Equal("", (await page.EvaluateAsync("document.querySelector('#source-password').value")).GetString());
        Assert.Equal("stored — leave empty to keep", (await page.EvaluateAsync("document.querySelector('#source-password').placeholder")).GetString());
        await page.FillAsync("#source-name", "Front door (renamed)");
        await page.ClickAsync("#source-form button[type=submit]");
        await page.WaitForAsync("document.querySelector('#source-rows li[data-id=door]')?.textContent.includes('Front door (renamed)')", Wait);
        await page.ClickAsync("#source-rows li[data-id=door] [data-action=test]");
        await page.WaitForAsync("[...document.querySelectorAll('.toast')].some((t) => t.textContent.includes('door: CONNECTED'))", Wait);

        // Nowhere to be seen: the page (markup and every input's value), the API's answers, the logs.
        var html = await page.Page.ContentAsync();
        var values = (await page.EvaluateAsync("[...document.querySelectorAll('input')].map((i) => i.value).join('\\n')")).GetString()!;
        using var http = await Service.HttpAsync("admin");
        var answers = string.Join('\n', await Task.WhenAll(
            http.GetStringAsync(new Uri("/api/v1/sources", UriKind.Relative), ct),
            http.GetStringAsync(new Uri("/api/v1/sources/door", UriKind.Relative), ct),
            http.GetStringAsync(new Uri("/api/v1/config", UriKind.Relative), ct),
            http.GetStringAsync(new Uri("/api/v1/cameras", UriKind.Relative), ct)));
        Assert.DoesNotContain(password, html, StringComparison.Ordinal);
        Assert.DoesNotContain(password, values, StringComparison.Ordinal);
        Assert.DoesNotContain(password, answers, StringComparison.Ordinal);
        Assert.DoesNotContain(password, list.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(password, Service.Logs.All, StringComparison.Ordinal);
        Assert.Contains("\"secret\":\"videosensor-sources\"", answers, StringComparison.Ordinal);
        // Stored for the service's user only.
        var stored = Path.Combine(Service.Services.GetRequiredService<IOptions<StorageOptions>>().Value.StatePath, SourceCredentials.FileName);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(stored));
        }

        Assert.Contains(password, await File.ReadAllTextAsync(stored, ct), StringComparison.Ordinal);

        // Removed in the page: the camera goes, and so do the stored credentials.
        await page.ClickAsync("#source-rows li[data-id=door] [data-action=remove]");
        await page.WaitForAsync("!document.querySelector('#source-rows li[data-id=door]')", Wait);
        Assert.DoesNotContain(password, await File.ReadAllTextAsync(stored, ct), StringComparison.Ordinal);
        Assert.DoesNotContain((await _fixture.CameraListAsync()).GetProperty("cameras").EnumerateArray(), c => c.GetProperty("device").GetString() == "door");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task A_bad_source_or_setting_gets_the_services_validation_message_beside_the_form()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var browser = await Chromium.LaunchAsync(ct);
        var page = await _fixture.SignInAsync(browser, await Service.TokenAsync("admin"), Chromium.Phone);
        await page.EvaluateAsync("location.hash = '#sources'");
        await page.WaitForAsync("document.querySelector('#settings-fields input').value !== ''", Wait);

        // A URL with credentials in it: the API refuses it and says why, on the url field.
        await page.FillAsync("#source-id", "leaky");
        await page.FillAsync("#source-url", "rtsp://user:pass@127.0.0.1:8554/cam");
        await page.ClickAsync("#source-form button[type=submit]");
        var error = (await page.WaitForAsync("!document.querySelector('#source-error').hidden && document.querySelector('#source-error').textContent", Wait)).GetString()!;
        Assert.StartsWith("url: ", error, StringComparison.Ordinal);
        Assert.Equal("true", await page.Page.Locator("#source-url").GetAttributeAsync("aria-invalid"));

        // A setting out of range: the service's message, and the input marked.
        await page.FillAsync("#setting-discovery-timeout-ms", "10");
        await page.ClickAsync("#settings-form button[type=submit]");
        var message = (await page.WaitForAsync("document.querySelector('#settings-message').dataset.kind === 'error' && document.querySelector('#settings-message').textContent", Wait)).GetString()!;
        Assert.Contains("timeout_ms", message, StringComparison.Ordinal);
        Assert.Equal("true", await page.Page.Locator("#setting-discovery-timeout-ms").GetAttributeAsync("aria-invalid"));
        var findings = new List<string>();
        await ConsolePagesTests.CheckAsync(page, "sources-errors", "admin", findings);

        // A good one is applied at once.
        await page.FillAsync("#setting-discovery-timeout-ms", "1500");
        await page.FillAsync("#setting-cameras-rtsp-probe-interval-seconds", "20");
        await page.ClickAsync("#settings-form button[type=submit]");
        var saved = (await page.WaitForAsync("document.querySelector('#settings-message').dataset.kind === 'ok' && document.querySelector('#settings-message').textContent", Wait)).GetString()!;
        Assert.Contains("cameras.rtsp_probe_interval_seconds", saved, StringComparison.Ordinal);
        using var http = await Service.HttpAsync("admin");
        var config = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/config", UriKind.Relative), ct);
        Assert.Equal(20, config.GetProperty("cameras").GetProperty("rtsp_probe_interval_seconds").GetInt32());
        Assert.True(findings.Count == 0, string.Join('\n', findings));
        // The browser logs each 400 answer as a failed load; nothing else may go wrong.
        Assert.DoesNotContain(page.Errors, e => !e.Contains("status of 400", StringComparison.Ordinal));
    }
}

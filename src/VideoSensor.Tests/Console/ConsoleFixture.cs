using System.Text.Json;
using Microsoft.Playwright;
using VideoSensor.Tests.Console.Browser;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Console;

/// <summary>
/// One real service (test-pattern camera <c>test0</c>, no MediaMTX binary, so live video falls back to
/// snapshots) shared by the console tests of a class; each test starts and kills its own Chromium.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _files = new(1, 1);
    private TestService? _service;
    private bool _filesMade;

    public TestService Service => _service ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() => _service = await TestService.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }

    /// <summary>Opens the console in a new tab of <paramref name="browser"/> and signs in with <paramref name="token"/> through the form.</summary>
    public Task<BrowserPage> SignInAsync(Chromium browser, string token, ViewportSize? viewport = null) => SignInAsync(browser, Service, token, viewport);

    /// <summary>Opens the console of <paramref name="service"/> in a new tab and signs in with <paramref name="token"/> through the form.</summary>
    public static async Task<BrowserPage> SignInAsync(Chromium browser, TestService service, string token, ViewportSize? viewport = null)
    {
        var page = await browser.NewPageAsync(viewport ?? Chromium.Desktop);
        await page.GotoAsync(service.BaseUri);
        await page.WaitForAsync("!document.querySelector('#login').hidden", TimeSpan.FromSeconds(30));
        await page.FillAsync("#token", token);
        await page.ClickAsync("#login-form button[type=submit]");
        await page.WaitForAsync("document.body.dataset.view === 'cameras'", TimeSpan.FromSeconds(30), "document.querySelector('#login-error').textContent");
        return page;
    }

    /// <summary>The service's own view of the cameras (what the page must show).</summary>
    public async Task<JsonElement> CameraListAsync()
    {
        await using var client = await Service.ConnectAsync("admin");
        return (await client.CallAsync("get_camera_list")).EnsureSuccess().Result.Clone();
    }

    /// <summary>One snapshot and one short recording of test0, once per fixture, so the file pages have rows to show.</summary>
    public async Task EnsureFilesAsync()
    {
        await _files.WaitAsync();
        try
        {
            if (_filesMade)
            {
                return;
            }

            await using var client = await Service.ConnectAsync("operator");
            (await client.CallAsync("take_snapshot", new { device = "test0" })).EnsureSuccess();
            (await client.CallAsync("start_recording", new { device = "test0" })).EnsureSuccess();
            await Task.Delay(TimeSpan.FromSeconds(2));
            (await client.CallAsync("stop_recording", new { device = "test0" })).EnsureSuccess();
            _filesMade = true;
        }
        finally
        {
            _files.Release();
        }
    }

    public async Task<bool> HasMethodAsync(string method)
    {
        await using var client = await Service.ConnectAsync();
        var document = (await client.CallAsync("rpc.discover")).EnsureSuccess().Result;
        return document.GetProperty("methods").EnumerateArray().Any(m => m.GetProperty("name").GetString() == method);
    }
}

using Microsoft.Playwright;

namespace VideoSensor.Tests.Console.Browser;

/// <summary>
/// Debian's headless Chromium (<c>/usr/bin/chromium</c>) driven by Playwright: no browser download, the
/// driver that ships in the Microsoft.Playwright package, a fresh profile per launch. Disposing closes the
/// browser and stops the driver (which ends the browser process tree it started).
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>The two sizes every page is checked at: a laptop and a phone.</summary>
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<Chromium> LaunchAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium (scripts/deps.sh test)");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Timeout = 60_000,
                Args =
                [
                    "--disable-gpu", "--disable-dev-shm-usage", "--mute-audio", "--autoplay-policy=no-user-gesture-required",
                    "--disable-background-networking", "--disable-component-update",
                    // WebRTC to MediaMTX on 127.0.0.1: loopback candidates are allowed, and host candidates are plain
                    // addresses rather than mDNS names (tests never use multicast).
                    "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns",
                ],
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A new tab in its own context (its own sessionStorage), at the desktop size unless told.</summary>
    public async Task<BrowserPage> NewPageAsync(CancellationToken cancellationToken = default) => await NewPageAsync(Desktop, cancellationToken);

    public async Task<BrowserPage> NewPageAsync(ViewportSize viewport, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var context = await _browser.NewContextAsync(new() { ViewportSize = viewport, ScreenSize = new() { Width = viewport.Width, Height = viewport.Height } });
        return await BrowserPage.CreateAsync(await context.NewPageAsync(), viewport);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _browser.CloseAsync();
        }
        catch (PlaywrightException)
        {
            // Already gone; the driver's exit below ends it either way.
        }

        _playwright.Dispose();
    }
}

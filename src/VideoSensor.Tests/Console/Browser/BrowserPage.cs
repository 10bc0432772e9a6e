using System.Collections.Concurrent;
using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace VideoSensor.Tests.Console.Browser;

/// <summary>
/// One tab driven by Playwright with the few verbs the console tests speak: navigate, evaluate to JSON,
/// wait for an in-page condition, click, type, screenshot, run axe-core. Collects the page's console errors,
/// uncaught exceptions and CSP violations so tests can assert there were none.
/// </summary>
public sealed class BrowserPage
{
    private readonly ConcurrentQueue<string> _errors = new();

    private BrowserPage(IPage page, ViewportSize viewport)
    {
        Page = page;
        Viewport = viewport;
    }

    /// <summary>The Playwright page, for what the verbs here do not cover.</summary>
    public IPage Page { get; }

    public ViewportSize Viewport { get; }

    /// <summary>"1280x800" or "390x844": part of screenshot names.</summary>
    public string SizeName => $"{Viewport.Width}x{Viewport.Height}";

    /// <summary>Console errors, exceptions and failed loads the page reported, in order.</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    internal static async Task<BrowserPage> CreateAsync(IPage page, ViewportSize viewport)
    {
        var browserPage = new BrowserPage(page, viewport);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                browserPage._errors.Enqueue($"console.error: {message.Text} {message.Location}");
            }
        };
        page.PageError += (_, error) => browserPage._errors.Enqueue("exception: " + error);
        // Confirmations (delete, remove source) are accepted, as a user would click OK.
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        // Chromium logs a CSP violation as a console error too; this names the directive for certain.
        await page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));");
        page.SetDefaultTimeout(60_000);
        return browserPage;
    }

    public async Task GotoAsync(Uri url, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await Page.GotoAsync(url.ToString(), new() { WaitUntil = WaitUntilState.Load });
    }

    public Task ReloadAsync() => Page.ReloadAsync(new() { WaitUntil = WaitUntilState.Load });

    /// <summary>Evaluates an expression (awaiting a promise) and returns its JSON value.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var value = await Page.EvaluateAsync<JsonElement?>(expression);
        return value?.Clone() ?? default;
    }

    /// <summary>
    /// Waits until <paramref name="predicate"/> (a JS expression) is truthy and returns its value; on timeout the
    /// error shows <paramref name="describe"/> evaluated in the page.
    /// </summary>
    public async Task<JsonElement> WaitForAsync(string predicate, TimeSpan timeout, string describe = "document.body.innerText.slice(0, 2000)")
    {
        try
        {
            var handle = await Page.WaitForFunctionAsync($"() => {{ try {{ return ({predicate}); }} catch {{ return false; }} }}", null,
                new() { Timeout = (float)timeout.TotalMilliseconds, PollingInterval = 100 });
            return (await handle.JsonValueAsync<JsonElement?>())?.Clone() ?? default;
        }
        catch (TimeoutException)
        {
            string state;
            try
            {
                state = (await Page.EvaluateAsync<JsonElement?>($"(() => {{ const d = ({describe}); return typeof d === 'string' ? d : JSON.stringify(d); }})()"))?.ToString() ?? "";
            }
            catch (PlaywrightException ex)
            {
                state = ex.Message;
            }

            throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for: {predicate}\n{state}");
        }
    }

    /// <summary>Clicks like a user (the element must be visible and enabled, and is scrolled into view).</summary>
    public Task ClickAsync(string selector) => Page.Locator(selector).First.ClickAsync();

    public Task FillAsync(string selector, string value) => Page.Locator(selector).First.FillAsync(value);

    public async Task<int> CountAsync(string selector) => await Page.Locator(selector).CountAsync();

    public async Task<string> TextAsync(string selector) =>
        (await EvaluateAsync($"document.querySelector({JsonSerializer.Serialize(selector)})?.textContent ?? null")).GetString() ?? "";

    /// <summary>How much wider than the viewport the page is (0 = no horizontal scroll), and the widest offenders.</summary>
    public Task<JsonElement> OverflowAsync() => EvaluateAsync("""
        (() => {
          const width = document.documentElement.clientWidth;
          const over = document.documentElement.scrollWidth - width;
          const culprits = [...document.querySelectorAll('body *')]
            .filter((e) => e.getClientRects().length && e.getBoundingClientRect().right > width + 1)
            .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${[...e.classList].join('.')} right=${Math.round(e.getBoundingClientRect().right)}`);
          return { over, culprits };
        })()
        """);

    /// <summary>axe-core's violations of serious or critical impact on the page as it is now, one line each.</summary>
    public async Task<IReadOnlyList<string>> SeriousAccessibilityViolationsAsync()
    {
        var result = await Page.RunAxe();
        return [.. result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")];
    }

    /// <summary>A PNG of the viewport, saved under the test output folder's console-screenshots/; returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name, bool fullPage = false)
    {
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        Directory.CreateDirectory(ScreenshotFolder);
        await Page.ScreenshotAsync(new() { Path = path, FullPage = fullPage });
        return path;
    }

    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "console-screenshots");
}

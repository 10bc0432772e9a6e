using Microsoft.Playwright;
using VideoSensor.Tests.Console.Browser;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Console;

/// <summary>
/// Every page of the console for every role at a laptop (1280x800) and a phone (390x844) size, in real
/// Chromium against the real service: nothing wider than the viewport, axe-core finds no serious or critical
/// violation, and a screenshot of each page lands in console-screenshots/ (named page-role-size).
/// </summary>
public sealed class ConsolePagesTests : IClassFixture<ConsoleFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);
    private readonly ConsoleFixture _fixture;

    public ConsolePagesTests(ConsoleFixture fixture) => _fixture = fixture;

    public static TheoryData<string, int, int> RolesAndSizes => new()
    {
        { "viewer", 1280, 800 }, { "viewer", 390, 844 },
        { "operator", 1280, 800 }, { "operator", 390, 844 },
        { "admin", 1280, 800 }, { "admin", 390, 844 },
    };

    [Theory]
    [MemberData(nameof(RolesAndSizes))]
    public async Task Every_page_fits_the_viewport_and_has_no_serious_accessibility_violation(string role, int width, int height)
    {
        await _fixture.EnsureFilesAsync();
        await using var browser = await Chromium.LaunchAsync(TestContext.Current.CancellationToken);
        var page = await _fixture.SignInAsync(browser, await _fixture.Service.TokenAsync(role), new ViewportSize { Width = width, Height = height });
        var findings = new List<string>();

        await page.WaitForAsync("document.querySelector('.tile[data-device=test0] .live')?.dataset.mode === 'snapshot' && document.querySelector('.tile[data-device=test0] .live img').naturalWidth > 0", Wait);
        await CheckAsync(page, "cameras", role, findings);

        await GoAsync(page, "files");
        await page.WaitForAsync("document.querySelector('#file-rows tr[data-filename]')", Wait);
        await CheckAsync(page, "recordings", role, findings);
        await page.ClickAsync("#tab-snapshots");
        await page.WaitForAsync("document.querySelector('#tab-snapshots').getAttribute('aria-selected') === 'true' && document.querySelector('#file-rows tr[data-kind=snapshots]')", Wait);
        await CheckAsync(page, "snapshots", role, findings);

        // Sources and settings: admins only (the link is not there for the others, the route falls back to the cameras).
        Assert.Equal(role != "admin", (await page.EvaluateAsync("document.querySelector('#nav a[data-view=sources]').hidden")).GetBoolean());
        if (role != "admin")
        {
            await page.EvaluateAsync("location.hash = '#sources'");
            await page.WaitForAsync("document.body.dataset.view === 'cameras'", Wait);
        }
        else
        {
            await GoAsync(page, "sources");
            await page.WaitForAsync("document.querySelector('#settings-fields input').value !== '' && !document.querySelector('#no-sources').hidden", Wait);
            await CheckAsync(page, "sources", role, findings);
        }

        await GoAsync(page, "system");
        await page.WaitForAsync("document.querySelectorAll('#components tr').length > 0", Wait);
        await CheckAsync(page, "system", role, findings);

        Assert.True(findings.Count == 0, string.Join('\n', findings));
        Assert.Empty(page.Errors);
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task The_sign_in_page_is_honest_before_sign_in_and_plain_about_a_bad_token(int width, int height)
    {
        await using var browser = await Chromium.LaunchAsync(TestContext.Current.CancellationToken);
        var page = await browser.NewPageAsync(new ViewportSize { Width = width, Height = height });
        await page.GotoAsync(_fixture.Service.BaseUri);
        await page.WaitForAsync("!document.querySelector('#login').hidden && document.querySelector('#connection').dataset.state === 'idle'", Wait);
        // Connected to the service but nobody signed in: the indicator must not claim more than that.
        Assert.Equal("not signed in", await page.TextAsync("#connection"));
        Assert.True((await page.EvaluateAsync("document.querySelector('#nav').hidden")).GetBoolean());
        var findings = new List<string>();
        await CheckAsync(page, "sign-in", "anonymous", findings);

        await page.FillAsync("#token", "not-a-real-token");
        await page.ClickAsync("#login-form button[type=submit]");
        var message = (await page.WaitForAsync("!document.querySelector('#login-error').hidden && document.querySelector('#login-error').textContent", Wait)).GetString()!;
        Assert.StartsWith("This token was not accepted", message, StringComparison.Ordinal);
        // Plain language: no method names or protocol words.
        foreach (var jargon in (string[])["authenticate", "JSON", "RPC", "-32", "auth_token", "call "])
        {
            Assert.DoesNotContain(jargon, message, StringComparison.OrdinalIgnoreCase);
        }

        await CheckAsync(page, "sign-in-error", "anonymous", findings);
        Assert.True(findings.Count == 0, string.Join('\n', findings));
    }

    [Fact]
    public async Task On_a_phone_the_navigation_collapses_and_the_snapshot_dialog_fits()
    {
        await using var browser = await Chromium.LaunchAsync(TestContext.Current.CancellationToken);
        var page = await _fixture.SignInAsync(browser, await _fixture.Service.TokenAsync("operator"), Chromium.Phone);
        await page.WaitForAsync("document.querySelector('.tile[data-device=test0]')?.dataset.status === 'CONNECTED'", Wait);

        // Collapsed: the links are hidden behind a menu button that says whether it is open.
        Assert.False(await page.Page.Locator("#nav a[data-view=files]").IsVisibleAsync());
        Assert.Equal("false", await page.Page.Locator("#nav-toggle").GetAttributeAsync("aria-expanded"));
        await page.ClickAsync("#nav-toggle");
        Assert.Equal("true", await page.Page.Locator("#nav-toggle").GetAttributeAsync("aria-expanded"));
        await page.ClickAsync("#nav a[data-view=system]");
        await page.WaitForAsync("document.body.dataset.view === 'system' && document.querySelector('#nav-toggle').getAttribute('aria-expanded') === 'false'", Wait);
        Assert.True(await page.Page.Locator("#sign-out").IsVisibleAsync());
        var signOut = await page.Page.Locator("#sign-out").BoundingBoxAsync();
        Assert.True(signOut!.X >= 0 && signOut.X + signOut.Width <= Chromium.Phone.Width, $"Sign out at x={signOut.X}..{signOut.X + signOut.Width}");

        await page.EvaluateAsync("location.hash = '#cameras'");
        await page.ClickAsync(".tile[data-device=test0] [data-action=snapshot]");
        await page.WaitForAsync("(() => { const i = document.querySelector('#viewer-image'); return i && i.complete && i.naturalWidth > 0; })()", Wait);
        var box = await page.Page.Locator("#viewer").BoundingBoxAsync();
        Assert.True(box!.X >= 0 && box.Y >= 0 && box.X + box.Width <= Chromium.Phone.Width && box.Y + box.Height <= Chromium.Phone.Height,
            $"dialog at {box.X},{box.Y} {box.Width}x{box.Height} in a {Chromium.Phone.Width}x{Chromium.Phone.Height} viewport");
        Assert.Equal(0, (await page.OverflowAsync()).GetProperty("over").GetInt32());
        await page.ScreenshotAsync("snapshot-dialog-operator-390x844");
        Assert.Empty(page.Errors);
    }

    private static async Task GoAsync(BrowserPage page, string view)
    {
        await page.EvaluateAsync($"location.hash = '#{view}'");
        await page.WaitForAsync($"document.body.dataset.view === '{view}'", Wait);
    }

    /// <summary>Overflow and axe findings go to <paramref name="findings"/> (all pages are checked before the test fails); the screenshot is taken either way.</summary>
    internal static async Task CheckAsync(BrowserPage page, string name, string role, List<string> findings)
    {
        var shot = await page.ScreenshotAsync($"{name}-{role}-{page.SizeName}", fullPage: true);
        TestContext.Current.SendDiagnosticMessage($"screenshot: {shot}");
        var overflow = await page.OverflowAsync();
        if (overflow.GetProperty("over").GetInt32() > 0)
        {
            findings.Add($"{name} ({role}, {page.SizeName}) is {overflow.GetProperty("over").GetInt32()} px wider than the viewport: {overflow.GetProperty("culprits")}");
        }

        findings.AddRange((await page.SeriousAccessibilityViolationsAsync()).Select(v => $"{name} ({role}, {page.SizeName}): {v}"));
    }
}

using System.Diagnostics;
using System.Text.RegularExpressions;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Console.Cdp;

/// <summary>
/// Debian's headless Chromium (<c>/usr/bin/chromium</c>), started with a fresh profile and DevTools on a
/// free loopback port chosen by the browser, and killed with its whole process tree on dispose.
/// </summary>
public sealed partial class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";
    private readonly Process _process;
    private readonly TempDirectory _profile;
    private readonly List<string> _stderr = [];

    private Chromium(Process process, TempDirectory profile, CdpConnection connection)
    {
        _process = process;
        _profile = profile;
        Connection = connection;
    }

    public CdpConnection Connection { get; }

    public static async Task<Chromium> LaunchAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium (scripts/deps.sh test)");
        }

        var profile = new TempDirectory("chromium");
        var start = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // Chromium keeps scratch folders in TMPDIR; inside the profile they go with it.
        var scratch = Directory.CreateDirectory(profile.Combine("tmp")).FullName;
        start.Environment["TMPDIR"] = scratch;
        foreach (var argument in (string[])[
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--disable-dev-shm-usage", "--mute-audio", "--autoplay-policy=no-user-gesture-required",
            "--window-size=1280,900",
            // WebRTC to MediaMTX on 127.0.0.1: loopback candidates are allowed, and host candidates are plain
            // addresses rather than mDNS names (tests never use multicast).
            "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
            $"--user-data-dir={profile.Combine("profile")}", "about:blank"])
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var endpoint = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new List<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                endpoint.TrySetException(new InvalidOperationException($"chromium exited before DevTools listened:\n{string.Join('\n', stderr)}"));
                return;
            }

            lock (stderr)
            {
                stderr.Add(e.Data);
            }

            // Chromium announces the browser endpoint on stderr once DevTools listens.
            if (DevToolsLine().Match(e.Data) is { Success: true } match)
            {
                endpoint.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var url = await endpoint.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            var connection = await CdpConnection.ConnectAsync(url, cancellationToken);
            var browser = new Chromium(process, profile, connection);
            browser._stderr.AddRange(stderr);
            return browser;
        }
        catch
        {
            Kill(process);
            process.Dispose();
            profile.Dispose();
            throw;
        }
    }

    /// <summary>A new tab (its own sessionStorage) with the page, runtime, log and network domains on.</summary>
    public async Task<BrowserPage> NewPageAsync(CancellationToken cancellationToken = default)
    {
        var created = await Connection.SendAsync("Target.createTarget", new { url = "about:blank" }, cancellationToken: cancellationToken);
        var targetId = created.GetProperty("targetId").GetString()!;
        var attached = await Connection.SendAsync("Target.attachToTarget", new { targetId, flatten = true }, cancellationToken: cancellationToken);
        var page = new BrowserPage(Connection, attached.GetProperty("sessionId").GetString()!);
        await page.EnableAsync(cancellationToken);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await Connection.SendAsync("Browser.close", cancellationToken: timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException or System.Net.WebSockets.WebSocketException)
        {
            // Killed below either way.
        }

        await Connection.DisposeAsync();
        Kill(_process);
        _process.Dispose();
        _profile.Dispose();
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    [GeneratedRegex(@"DevTools listening on (?<url>ws://\S+)")]
    private static partial Regex DevToolsLine();
}

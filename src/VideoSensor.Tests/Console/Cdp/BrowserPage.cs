using System.Collections.Concurrent;
using System.Text.Json;

namespace VideoSensor.Tests.Console.Cdp;

/// <summary>
/// One tab driven over CDP: navigate, evaluate, wait for a condition (in the page, woken by DOM
/// mutations and media/load events, not by polling from here), click, type, screenshot. Collects the
/// page's console errors, uncaught exceptions and CSP violations so tests can assert there were none.
/// </summary>
public sealed class BrowserPage
{
    private readonly CdpConnection _connection;
    private readonly string _session;
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<TaskCompletionSource> _loads = new();

    internal BrowserPage(CdpConnection connection, string session)
    {
        _connection = connection;
        _session = session;
        connection.EventReceived += OnEvent;
    }

    /// <summary>Console errors, exceptions and failed loads the page reported, in order.</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    internal async Task EnableAsync(CancellationToken cancellationToken)
    {
        await SendAsync("Page.enable", null, cancellationToken);
        await SendAsync("Runtime.enable", null, cancellationToken);
        await SendAsync("Log.enable", null, cancellationToken);
    }

    public Task<JsonElement> SendAsync(string method, object? parameters = null, CancellationToken cancellationToken = default) =>
        _connection.SendAsync(method, parameters, _session, cancellationToken);

    /// <summary>Navigates and waits for the load event.</summary>
    public async Task GotoAsync(Uri url, CancellationToken cancellationToken = default)
    {
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loads.Enqueue(loaded);
        var result = await SendAsync("Page.navigate", new { url = url.ToString() }, cancellationToken);
        if (result.TryGetProperty("errorText", out var error))
        {
            throw new InvalidOperationException($"navigation to {url} failed: {error.GetString()}");
        }

        await loaded.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
    }

    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loads.Enqueue(loaded);
        await SendAsync("Page.reload", null, cancellationToken);
        await loaded.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
    }

    /// <summary>Evaluates an expression (awaiting a promise) and returns its JSON value.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression, CancellationToken cancellationToken = default)
    {
        var reply = await SendAsync("Runtime.evaluate", new { expression, awaitPromise = true, returnByValue = true, userGesture = true }, cancellationToken);
        if (reply.TryGetProperty("exceptionDetails", out var exception))
        {
            var text = exception.TryGetProperty("exception", out var ex) && ex.TryGetProperty("description", out var d) ? d.GetString() : exception.GetProperty("text").GetString();
            throw new InvalidOperationException($"page error evaluating `{expression}`: {text}");
        }

        var value = reply.GetProperty("result");
        return value.TryGetProperty("value", out var v) ? v.Clone() : default;
    }

    /// <summary>
    /// Waits until <paramref name="predicate"/> (a JS expression) is truthy. The check runs in the page
    /// after every DOM mutation and media/load event; on timeout the error shows <paramref name="describe"/>.
    /// </summary>
    public async Task<JsonElement> WaitForAsync(string predicate, TimeSpan timeout, string describe = "document.body.innerText.slice(0, 2000)")
    {
        var script = $$"""
            new Promise((resolve, reject) => {
              const check = () => { try { return (() => ({{predicate}}))(); } catch { return false; } };
              const first = check();
              if (first) { resolve(first); return; }
              const events = ['load', 'loadeddata', 'loadedmetadata', 'canplay', 'playing', 'durationchange', 'error', 'transitionend'];
              const wake = () => { const v = check(); if (v) { done(); resolve(v); } };
              const observer = new MutationObserver(wake);
              const done = () => { observer.disconnect(); clearTimeout(timer); for (const e of events) document.removeEventListener(e, wake, true); };
              observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
              for (const e of events) document.addEventListener(e, wake, true);
              const timer = setTimeout(() => { done(); let d; try { d = ({{describe}}); } catch (x) { d = String(x); } reject(new Error('timed out waiting for: ' + {{JsonSerializer.Serialize(predicate)}} + '\n' + (typeof d === 'string' ? d : JSON.stringify(d)))); }, {{(int)timeout.TotalMilliseconds}});
            })
            """;
        using var guard = new CancellationTokenSource(timeout + TimeSpan.FromSeconds(30));
        return await EvaluateAsync(script, guard.Token);
    }

    public Task ClickAsync(string selector) => EvaluateAsync($$"""
        (() => { const e = document.querySelector({{JsonSerializer.Serialize(selector)}}); if (!e) throw new Error('no element ' + {{JsonSerializer.Serialize(selector)}}); e.click(); return true; })()
        """);

    public Task FillAsync(string selector, string value) => EvaluateAsync($$"""
        (() => { const e = document.querySelector({{JsonSerializer.Serialize(selector)}}); e.value = {{JsonSerializer.Serialize(value)}}; e.dispatchEvent(new Event('input', { bubbles: true })); return true; })()
        """);

    public async Task<int> CountAsync(string selector) =>
        (await EvaluateAsync($"document.querySelectorAll({JsonSerializer.Serialize(selector)}).length")).GetInt32();

    public async Task<string> TextAsync(string selector) =>
        (await EvaluateAsync($"document.querySelector({JsonSerializer.Serialize(selector)})?.textContent ?? null")).GetString() ?? "";

    /// <summary>A PNG of the viewport, saved under the test output folder's console-screenshots/.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var shot = await SendAsync("Page.captureScreenshot", new { format = "png" });
        var folder = Path.Combine(AppContext.BaseDirectory, "console-screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot.GetProperty("data").GetString()!));
        return path;
    }

    private void OnEvent(string? session, string method, JsonElement parameters)
    {
        if (session != _session)
        {
            return;
        }

        switch (method)
        {
            case "Page.loadEventFired":
                if (_loads.TryDequeue(out var loaded))
                {
                    loaded.TrySetResult();
                }

                break;
            case "Page.javascriptDialogOpening":
                // Confirmations (delete) are accepted, as a user would click OK.
                _ = SendAsync("Page.handleJavaScriptDialog", new { accept = true });
                break;
            case "Runtime.exceptionThrown":
                _errors.Enqueue("exception: " + parameters.GetProperty("exceptionDetails").ToString());
                break;
            case "Runtime.consoleAPICalled" when parameters.GetProperty("type").GetString() == "error":
                _errors.Enqueue("console.error: " + parameters.GetProperty("args").ToString());
                break;
            case "Log.entryAdded" when parameters.GetProperty("entry").GetProperty("level").GetString() == "error":
                _errors.Enqueue("log: " + parameters.GetProperty("entry").GetProperty("text").GetString() + " " +
                    (parameters.GetProperty("entry").TryGetProperty("url", out var url) ? url.GetString() : ""));
                break;
        }
    }
}

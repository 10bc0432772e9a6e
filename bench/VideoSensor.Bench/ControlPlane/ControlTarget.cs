using System.Diagnostics;
using System.Globalization;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Bench.ControlPlane;

/// <summary>
/// One server the control-plane benchmark loads: a build of the service, a floor (raw echo) or another
/// implementation of the same API. <see cref="Token"/> is what its <c>authenticate</c> takes (null: ping only).
/// </summary>
internal sealed class ControlTarget : IAsyncDisposable
{
    private readonly IAsyncDisposable? _owner;
    private readonly Process? _process;

    private ControlTarget(string name, Uri url, int pid, string? token, IAsyncDisposable? owner, Process? process)
    {
        Name = name;
        Url = url;
        Pid = pid;
        Token = token;
        _owner = owner;
        _process = process;
    }

    public string Name { get; }
    public Uri Url { get; }
    public int Pid { get; }
    public string? Token { get; }

    /// <summary>
    /// The service from <paramref name="command"/> with its default config (a test-pattern camera), limits raised so the
    /// load is not refused, and a viewer token minted by the same build's <c>token</c> command.
    /// </summary>
    public static async Task<ControlTarget> ServiceAsync(string name, IReadOnlyList<string> command, CancellationToken ct)
    {
        var environment = new Dictionary<string, string>
        {
            ["VIDEOSENSOR__SERVER__RATE_LIMIT_PER_SECOND"] = "1000000",
            ["VIDEOSENSOR__SERVER__RATE_LIMIT_BURST"] = "1000000",
            ["VIDEOSENSOR__SERVER__MAX_CONNECTIONS"] = "5000",
            ["VIDEOSENSOR__LOGGING__LEVEL"] = "Warning",
        };
        // The default config streams its test pattern through MediaMTX when there is one, as scripts/run.sh does.
        if (Environment.GetEnvironmentVariable("MEDIAMTX_BINARY") is { Length: > 0 } mediamtx)
        {
            environment["VIDEOSENSOR__MEDIA__MEDIAMTX__BINARY_PATH"] = mediamtx;
        }

        var service = await ServiceProcess.StartAsync(null, ct, environment: environment, command: command);
        try
        {
            environment["VIDEOSENSOR__STORAGE__ROOT"] = service.StorageRoot;
            var (exit, stdout, stderr) = await ServiceProcess.RunCliAsync(["token", "--role", "viewer"], environment, ct, command);
            if (exit != 0)
            {
                throw new InvalidOperationException($"{name}: token command failed: {stderr}");
            }

            return new ControlTarget(name, new Uri($"ws://127.0.0.1:{service.Port}/ws"), service.Pid, stdout.Trim(), service, null);
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>The floor app in echo mode: <paramref name="command"/> is its JIT or Native AOT start line.</summary>
    public static async Task<ControlTarget> EchoAsync(string name, IReadOnlyList<string> command, CancellationToken ct)
    {
        var port = FreePort.Next();
        var info = StartInfo([.. command, "echo"]);
        info.Environment["VIDEOSENSOR__SERVER__PORT"] = port.ToString(CultureInfo.InvariantCulture);
        var process = Process.Start(info)!;
        var target = new ControlTarget(name, new Uri($"ws://127.0.0.1:{port}/ws"), process.Id, null, null, process);
        try
        {
            await WaitForHealthAsync(new Uri($"http://127.0.0.1:{port}/health/ready"), process, ct);
            return target;
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Another implementation of the same API: <paramref name="command"/> started as given (its config is the caller's),
    /// reached at <paramref name="url"/>, authenticated with <paramref name="token"/>.
    /// </summary>
    public static async Task<ControlTarget> CompareAsync(IReadOnlyList<string> command, Uri url, string? token, CancellationToken ct)
    {
        var process = Process.Start(StartInfo(command))!;
        // Its output is drained and dropped: only its answers are measured.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var target = new ControlTarget("compare", url, process.Id, token, null, process);
        try
        {
            await RpcLoad.WaitForPongAsync(url, process, TimeSpan.FromSeconds(60), ct);
            return target;
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_owner is not null)
        {
            await _owner.DisposeAsync();
        }

        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process?.Dispose();
    }

    private static ProcessStartInfo StartInfo(IReadOnlyList<string> command)
    {
        var info = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    private static async Task WaitForHealthAsync(Uri health, Process process, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{health} exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync(ct)}");
            }

            try
            {
                using var response = await http.GetAsync(health, ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(20, ct);
        }

        throw new TimeoutException($"{health} did not answer in 60 s");
    }
}

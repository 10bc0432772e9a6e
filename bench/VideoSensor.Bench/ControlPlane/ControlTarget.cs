using System.Diagnostics;
using System.Globalization;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Fixtures.Dapr;

namespace VideoSensor.Bench.ControlPlane;

/// <summary>
/// One server the control-plane benchmark loads: a build of the service, a floor (raw echo) or another
/// implementation of the same API. <see cref="Token"/> is what its <c>authenticate</c> takes (null: ping only).
/// </summary>
internal sealed class ControlTarget : IAsyncDisposable
{
    private readonly IAsyncDisposable _owner;

    private ControlTarget(string name, Uri url, int pid, string? token, IAsyncDisposable owner)
    {
        Name = name;
        Url = url;
        Pid = pid;
        Token = token;
        _owner = owner;
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

            return new ControlTarget(name, new Uri($"ws://127.0.0.1:{service.Port}/ws"), service.Pid, stdout.Trim(), service);
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
        var process = ChildProcess.Start(name, command[0], [.. command.Skip(1), "echo"],
            new Dictionary<string, string> { ["VIDEOSENSOR__SERVER__PORT"] = port.ToString(CultureInfo.InvariantCulture) });
        try
        {
            await HttpWait.UntilAsync(new Uri($"http://127.0.0.1:{port}/health/ready"), () => process.HasExited, TimeSpan.FromSeconds(60), ct);
            return new ControlTarget(name, new Uri($"ws://127.0.0.1:{port}/ws"), process.Pid, null, process);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Another implementation of the same API: <paramref name="command"/> started as given (its config is the caller's),
    /// reached at <paramref name="url"/>, authenticated with <paramref name="token"/>.
    /// </summary>
    public static async Task<ControlTarget> CompareAsync(IReadOnlyList<string> command, Uri url, string? token, CancellationToken ct)
    {
        var process = ChildProcess.Start("compare", command[0], command.Skip(1));
        try
        {
            await RpcLoad.WaitForPongAsync(url, () => process.HasExited, TimeSpan.FromSeconds(60), ct);
            return new ControlTarget("compare", url, process.Pid, token, process);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _owner.DisposeAsync();
}

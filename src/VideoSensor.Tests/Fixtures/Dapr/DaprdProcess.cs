using System.Globalization;

namespace VideoSensor.Tests.Fixtures.Dapr;

/// <summary>
/// One real daprd sidecar as a child, every port a free loopback port and every listener on 127.0.0.1 (the flags
/// and DAPR_HOST_IP from the tool's README). It can be stopped and started again on the same ports.
/// </summary>
public sealed class DaprdProcess : IAsyncDisposable
{
    private readonly List<string> _arguments;
    private readonly Dictionary<string, string> _environment;
    private ChildProcess? _process;
    private string _previousOutput = "";

    private DaprdProcess(string appId, DaprResources resources, string? placement, string? localApps, string logLevel)
    {
        AppId = appId;
        HttpPort = FreePort.Next();
        GrpcPort = FreePort.Next();
        InternalGrpcPort = FreePort.Next();
        MetricsPort = FreePort.Next();
        PublicPort = FreePort.Next();
        var p = (int v) => v.ToString(CultureInfo.InvariantCulture);
        _arguments =
        [
            "--app-id", appId, "--dapr-http-port", p(HttpPort), "--dapr-grpc-port", p(GrpcPort),
            "--dapr-internal-grpc-port", p(InternalGrpcPort), "--metrics-port", p(MetricsPort), "--dapr-public-port", p(PublicPort),
            "--dapr-listen-addresses", "127.0.0.1", "--dapr-internal-grpc-listen-address", "127.0.0.1",
            "--metrics-listen-address", "127.0.0.1", "--dapr-public-listen-address", "127.0.0.1",
            "--resources-path", resources.ResourcesPath, "--config", resources.ConfigPath, "--log-level", logLevel,
            "--dapr-graceful-shutdown-seconds", "1",
        ];
        if (placement is not null)
        {
            _arguments.AddRange(["--placement-host-address", placement]);
        }

        _environment = new Dictionary<string, string> { ["DAPR_HOST_IP"] = "127.0.0.1" };
        if (localApps is not null)
        {
            _environment["DAPR_LOCAL_APPS"] = localApps;
        }
    }

    public string AppId { get; }
    public int HttpPort { get; }
    public int GrpcPort { get; }
    public int InternalGrpcPort { get; }
    public int MetricsPort { get; }
    public int PublicPort { get; }
    public int Pid => _process?.Pid ?? 0;
    public string GrpcEndpoint => $"http://127.0.0.1:{GrpcPort.ToString(CultureInfo.InvariantCulture)}";
    public string HttpEndpoint => $"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>This sidecar's entry for DAPR_LOCAL_APPS (the loopback name resolver of the provided build).</summary>
    public string LocalAppEntry => $"{AppId}={InternalGrpcPort.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Everything daprd printed, over restarts.</summary>
    public string Output => _previousOutput + (_process?.Output ?? "");

    /// <summary>A daprd for <paramref name="appId"/> with its ports chosen, not started yet (the app's config needs the ports first).</summary>
    public static DaprdProcess Create(string appId, DaprResources resources, string? placement = null, string? localApps = null, string logLevel = "info") =>
        new(appId, resources, placement, localApps, logLevel);

    /// <summary>
    /// Starts daprd for its app on <paramref name="appPort"/> (none when null) and waits until its outbound side is
    /// ready (components loaded). The app may come later: daprd keeps probing for it.
    /// </summary>
    public Task StartAsync(int? appPort, CancellationToken ct)
    {
        if (appPort is { } port)
        {
            _arguments.AddRange(["--app-port", port.ToString(CultureInfo.InvariantCulture), "--app-protocol", "http", "--app-channel-address", "127.0.0.1"]);
        }

        return StartAgainAsync(ct);
    }

    /// <summary>
    /// daprd probes the app's <c>/healthz</c> every second and counts it unhealthy after two misses, as
    /// <c>dapr.io/enable-app-health-check</c> does in deploy/k8s: an unhealthy app's actors are placed elsewhere.
    /// </summary>
    public void EnableAppHealthCheck() => _arguments.AddRange(["--enable-app-health-check", "--app-health-check-path", "/healthz", "--app-health-probe-interval", "1", "--app-health-threshold", "2"]);

    /// <summary>Replaces the Dapr Configuration file given with <c>--config</c> (before start).</summary>
    public void UseConfig(string path) => _arguments[_arguments.IndexOf("--config") + 1] = path;

    /// <summary>Starts daprd (again) on the same ports and waits for its outbound side.</summary>
    public async Task StartAgainAsync(CancellationToken ct)
    {
        if (_process is not null)
        {
            _previousOutput += _process.Output;
            await _process.DisposeAsync();
        }

        _process = ChildProcess.Start("daprd " + AppId, RealDaprTools.Daprd!, _arguments, _environment);
        try
        {
            await HttpWait.UntilAsync(new Uri(HttpEndpoint + "/v1.0/healthz/outbound"), () => _process.HasExited, TimeSpan.FromSeconds(60), ct);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"daprd {AppId} did not become ready: {ex.Message}\n{Output}", ex);
        }
    }

    /// <summary>A clean stop (SIGTERM), as a restart of the sidecar container would do.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.SignalAndWaitAsync("TERM", TimeSpan.FromSeconds(15));
        }
    }

    /// <summary>SIGKILL: the sidecar crashes.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.KillAsync();
        }
    }

    /// <summary>Waits until daprd has the app's subscriptions (it reads /dapr/subscribe once the app answers).</summary>
    public async Task WaitForSubscriptionAsync(string topic, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var last = "";
        try
        {
            while (true)
            {
                last = await http.GetStringAsync(new Uri(HttpEndpoint + "/v1.0/metadata"), ct);
                if (last.Contains($"\"topic\":\"{topic}\"", StringComparison.Ordinal))
                {
                    return;
                }

                await Task.Delay(100, ct);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"daprd {AppId} never listed a subscription to {topic}; metadata: {last}\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}

using System.Globalization;

namespace VideoSensor.Tests.Fixtures.Dapr;

/// <summary>Dapr's actor placement service as a child on free loopback ports (flags from the tool's README: loopback only).</summary>
public sealed class PlacementServer : IAsyncDisposable
{
    private ChildProcess? _process;

    private PlacementServer()
    {
        Port = FreePort.Next();
        HealthzPort = FreePort.Next();
        MetricsPort = FreePort.Next();
    }

    public int Port { get; }
    public int HealthzPort { get; }
    public int MetricsPort { get; }
    public string Address => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";
    public string Output => _process?.Output ?? "";

    public static async Task<PlacementServer> StartAsync(CancellationToken ct)
    {
        var server = new PlacementServer();
        var p = (int v) => v.ToString(CultureInfo.InvariantCulture);
        server._process = ChildProcess.Start("placement", RealDaprTools.Placement!,
        [
            "--id", "dapr-placement-0", "--port", p(server.Port), "--listen-address", "127.0.0.1",
            "--healthz-port", p(server.HealthzPort), "--healthz-listen-address", "127.0.0.1",
            "--metrics-port", p(server.MetricsPort), "--metrics-listen-address", "127.0.0.1",
            "--initial-cluster", $"dapr-placement-0=127.0.0.1:{p(FreePort.Next())}", "--log-level", "warn",
        ], new Dictionary<string, string> { ["DAPR_HOST_IP"] = "127.0.0.1" });
        try
        {
            await HttpWait.UntilAsync(new Uri($"http://127.0.0.1:{p(server.HealthzPort)}/healthz"), () => server._process.HasExited, TimeSpan.FromSeconds(30), ct);
        }
        catch (Exception ex)
        {
            var output = server.Output;
            await server.DisposeAsync();
            throw new InvalidOperationException($"placement did not become healthy: {ex.Message}\n{output}", ex);
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}

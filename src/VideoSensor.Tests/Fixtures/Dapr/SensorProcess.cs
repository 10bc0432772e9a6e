using System.Globalization;

namespace VideoSensor.Tests.Fixtures.Dapr;

/// <summary>
/// The service as its own process (<see cref="ServiceBinary"/> <c>--config …</c>) on chosen loopback ports, so that it can
/// be killed with SIGKILL like a crashed pod; its MediaMTX dies with it (parent-death signal). Started again on the
/// same ports and storage.
/// </summary>
public sealed class SensorProcess : IAsyncDisposable
{
    private readonly TempDirectory _root = new("videosensor-dapr");
    private ChildProcess? _process;
    private string _previousOutput = "";

    private SensorProcess(string instance)
    {
        Instance = instance;
        Port = FreePort.Next();
        HealthPort = FreePort.Next();
    }

    public string Instance { get; }
    public int Port { get; }
    public int HealthPort { get; }
    public int Pid => _process?.Pid ?? 0;
    public bool Running => _process is { HasExited: false };
    public string StorageRoot => _root.Combine("storage");
    public string ConfigPath => _root.Combine("config.yaml");
    public Uri BaseUri => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");
    public string Output => _previousOutput + (_process?.Output ?? "");

    /// <summary>Ports and folders chosen; <see cref="StartAsync"/> writes the config (base + <paramref name="sections"/>) and runs it.</summary>
    public static SensorProcess Create(string instance) => new(instance);

    public async Task StartAsync(string sections, CancellationToken ct)
    {
        await File.WriteAllTextAsync(ConfigPath, string.Create(CultureInfo.InvariantCulture, $"""
            server:
              bind_address: 127.0.0.1
              port: {Port}
              health_port: {HealthPort}
              public_host: 127.0.0.1
              shutdown_timeout_seconds: 5
            security:
              dev_mode: true
            storage:
              root: {StorageRoot}
            logging:
              level: Information
            {sections}
            """), ct);
        await StartAgainAsync(ct);
    }

    /// <summary>Runs the service (again) with the written config and waits until it answers /health/live.</summary>
    public async Task StartAgainAsync(CancellationToken ct)
    {
        if (_process is not null)
        {
            _previousOutput += _process.Output;
            await _process.DisposeAsync();
        }

        var command = ServiceBinary.Command("--config", ConfigPath);
        _process = ChildProcess.Start("videosensor " + Instance, command[0], command.Skip(1).ToArray());
        try
        {
            await HttpWait.UntilAsync(new Uri(BaseUri, "/health/live"), () => _process.HasExited, TimeSpan.FromSeconds(60), ct);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"the service {Instance} did not come up: {ex.Message}\n{Output}", ex);
        }
    }

    /// <summary>SIGKILL to the service: a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.KillAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _root.Dispose();
    }
}

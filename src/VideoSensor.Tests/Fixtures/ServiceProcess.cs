using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace VideoSensor.Tests.Fixtures;

/// <summary>
/// The service as a separate process (<see cref="ServiceBinary"/>: the Native AOT executable in CI, else
/// <c>dotnet VideoSensor.dll</c>), as a user runs it: for the quick-start flow, the CLI, signals and footprint
/// measurements.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TempDirectory _root;

    private ServiceProcess(Process process, TempDirectory root, int port, int healthPort)
    {
        _process = process;
        _root = root;
        Port = port;
        HealthPort = healthPort;
    }

    public static string DotnetHost => ServiceBinary.DotnetHost;
    public static string ServiceDll => ServiceBinary.ManagedDll;

    public int Port { get; }
    public int HealthPort { get; }
    public int Pid => _process.Id;
    public TimeSpan TimeToReady { get; private set; }
    public string StorageRoot => _root.Combine("storage");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the service with the built-in default config (or <paramref name="configPath"/>), its ports and
    /// storage moved by environment overrides, and waits for <c>/health/ready</c>. <paramref name="command"/>
    /// replaces <see cref="ServiceBinary.Command"/> (the footprint benchmark starts its floor apps this way).
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string? extraYaml, CancellationToken cancellationToken, string? configPath = null, IDictionary<string, string>? environment = null, IReadOnlyList<string>? command = null)
    {
        var root = new TempDirectory("videosensor-proc");
        var port = FreePort.Next();
        var healthPort = FreePort.Next();
        var info = Info(configPath is null ? [] : ["--config", configPath], command);
        info.Environment["VIDEOSENSOR__SERVER__PORT"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["VIDEOSENSOR__SERVER__HEALTH_PORT"] = healthPort.ToString(CultureInfo.InvariantCulture);
        info.Environment["VIDEOSENSOR__SERVER__BIND_ADDRESS"] = "127.0.0.1";
        info.Environment["VIDEOSENSOR__STORAGE__ROOT"] = root.Combine("storage");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var started = Stopwatch.StartNew();
        var process = Process.Start(info)!;
        var service = new ServiceProcess(process, root, port, healthPort);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                await service.DisposeAsync();
                throw new InvalidOperationException($"service exited with {process.ExitCode}: {service.Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    service.TimeToReady = started.Elapsed;
                    return service;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or System.Net.Sockets.SocketException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet: readiness has no push signal across processes, so this one loop polls.
            }

            await Task.Delay(10, cancellationToken);
        }

        await service.DisposeAsync();
        throw new TimeoutException($"service not ready in 30 s: {service.Output}");
    }

    /// <summary>Runs the service binary with arguments to completion (CLI commands) and returns exit code and output.</summary>
    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunCliAsync(IEnumerable<string> arguments, IDictionary<string, string>? environment = null, CancellationToken cancellationToken = default, IReadOnlyList<string>? command = null)
    {
        var info = Info(arguments, command);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Resident set size in MB, from /proc.</summary>
    public double ResidentMegabytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                return kb / 1024;
            }
        }

        return double.NaN;
    }

    /// <summary>Sends SIGTERM and waits for the process to exit; returns its exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await _process.WaitForExitAsync().WaitAsync(timeout);
        }

        return _process.ExitCode;
    }

    /// <summary>SIGKILL to the service alone (not its children), as a crash or an OOM kill would; waits for it to be gone.</summary>
    public async Task KillHardAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-KILL", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _root.Dispose();
    }

    private static ProcessStartInfo Info(IEnumerable<string> arguments, IReadOnlyList<string>? command = null)
    {
        command ??= ServiceBinary.Command();
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in command.Skip(1).Concat(arguments))
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}

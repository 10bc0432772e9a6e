using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace VideoSensor.Tests.Fixtures.Dapr;

/// <summary>
/// A server a test starts (redis-server, placement, daprd): its output kept for failure messages, stopped by its
/// own PID with SIGTERM (a clean stop) or SIGKILL (a crash), never by name.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptChars = 64 * 1024;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ChildProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>The last 64 KiB of stdout and stderr.</summary>
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

    public static ChildProcess Start(string name, string binary, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var child = new ChildProcess(Process.Start(info)!, name);
        child._process.OutputDataReceived += (_, e) => child.Append(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Sends <paramref name="signal"/> (TERM, KILL) to this PID and waits for it to be gone.</summary>
    public async Task SignalAndWaitAsync(string signal, TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public Task KillAsync() => SignalAndWaitAsync("KILL", TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        await SignalAndWaitAsync("TERM", TimeSpan.FromSeconds(10));
        _process.Dispose();
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
            if (_output.Length > KeptChars)
            {
                _output.Remove(0, _output.Length - KeptChars);
            }
        }
    }
}

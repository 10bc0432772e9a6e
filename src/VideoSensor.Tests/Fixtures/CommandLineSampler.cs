using System.Collections.Concurrent;

namespace VideoSensor.Tests.Fixtures;

/// <summary>
/// What any local user sees with <c>ps</c>: samples every process's command line (<c>/proc/*/cmdline</c>) every
/// few milliseconds until disposed, so even a short-lived child (a one-frame snapshot) is seen.
/// </summary>
public sealed class CommandLineSampler : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public CommandLineSampler() => _loop = Task.Run(SampleAsync);

    /// <summary>Every distinct command line seen so far, arguments joined by spaces.</summary>
    public IReadOnlyCollection<string> Seen => [.. _seen.Keys];

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out _))
                {
                    continue;
                }

                try
                {
                    var line = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                    if (line.Length > 0)
                    {
                        _seen.TryAdd(line, 0);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The process ended between the listing and the read.
                }
            }

            try
            {
                await Task.Delay(10, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}

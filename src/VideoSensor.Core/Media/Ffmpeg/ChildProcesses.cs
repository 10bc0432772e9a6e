using System.Collections.Concurrent;

namespace VideoSensor.Media.Ffmpeg;

/// <summary>
/// Starts the service's ffmpeg and ffprobe children so they die with the service: each is started through
/// <c>setpriv --pdeathsig</c> (util-linux), which sets PR_SET_PDEATHSIG and then execs the tool, so a
/// kill -9 of the service still ends every child. The signal is tied to the thread that forked the child,
/// not to the process, and .NET forks on the calling thread; thread-pool threads retire when idle, which
/// would kill a recorder for nothing. So every start runs on one dedicated thread that lives as long as
/// the service.
/// </summary>
internal static class ChildProcesses
{
    private static readonly BlockingCollection<Action> Starts = [];
    private static readonly Lazy<string?> Setpriv = new(() => FfmpegLocator.Find("setpriv"));

    static ChildProcesses()
    {
        var thread = new Thread(() =>
        {
            foreach (var start in Starts.GetConsumingEnumerable())
            {
                start();
            }
        })
        {
            IsBackground = true,
            Name = "child-process-starter",
        };
        thread.Start();
    }

    /// <summary>True when children get a parent-death signal (setpriv is installed).</summary>
    public static bool DieWithService => Setpriv.Value is not null;

    /// <summary>
    /// The program and arguments that run <paramref name="program"/> with a parent-death signal:
    /// <c>KILL</c> for short jobs, <c>INT</c> for recorders (ffmpeg then finishes the fragment it writes).
    /// Without setpriv the tool runs as is (a restart still reaps leftover recorders).
    /// </summary>
    public static (string Program, IReadOnlyList<string> Arguments) Wrap(string program, IReadOnlyList<string> arguments, string signal = "KILL") =>
        Setpriv.Value is { } setpriv
            ? (setpriv, ["--pdeathsig", signal, "--", program, .. arguments])
            : (program, arguments);

    /// <summary>Runs <paramref name="start"/> (which starts a child) on the long-lived starter thread and returns its result.</summary>
    public static T Start<T>(Func<T> start)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Starts.Add(() =>
        {
            try
            {
                result.SetResult(start());
            }
            catch (Exception ex)
            {
                result.SetException(ex);
            }
        });

        // Starting a process is a fork and an exec: a short wait, never a long one.
        return result.Task.GetAwaiter().GetResult();
    }
}

namespace VideoSensor.Media.Ffmpeg;

/// <summary>How an ffmpeg run ended: its exit code, how long it took, and the last lines it printed (redacted).</summary>
internal sealed record FfmpegResult(int ExitCode, TimeSpan Duration, IReadOnlyList<string> StderrTail, bool TimedOut)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>A one-line reason for errors and logs.</summary>
    public string Reason => TimedOut
        ? $"ffmpeg timed out after {Duration.TotalSeconds:0.#} s"
        : $"ffmpeg exited with code {ExitCode}: {StderrTail.LastOrDefault(l => l.Length > 0) ?? "no output"}";
}

namespace VideoSensor.Media.Ffmpeg;

/// <summary>
/// ffmpeg/ffprobe input arguments, and the text the child reads on its standard input when the input carries a
/// credential. A command line is readable by every local user (<c>ps</c>, <c>/proc/*/cmdline</c>), so a URL with
/// a user and password reaches the child through a pipe, as a one-entry concat script, never through its arguments.
/// </summary>
internal sealed record InputArguments(IReadOnlyList<string> Arguments, string? StandardInput = null);

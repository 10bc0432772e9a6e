using System.Globalization;
using VideoSensor.Cameras;
using VideoSensor.Secrets;

namespace VideoSensor.Media.Ffmpeg;

/// <summary>Turns a camera source into ffmpeg input arguments, resolving credentials at the last moment.</summary>
internal sealed class FfmpegInput(ISecretSource secrets)
{
    public async ValueTask<InputArguments> ArgumentsAsync(CameraSource source, CancellationToken cancellationToken) => source switch
    {
        TestPatternSource t => new InputArguments(TestPattern(t)),
        RtspSource r => Rtsp(await AuthorizedUrlAsync(r, cancellationToken).ConfigureAwait(false), r.Transport),
        UsbSource u => new InputArguments(Usb(u)),
        _ => throw new NotSupportedException($"no ffmpeg input for {source.GetType().Name}"),
    };

    /// <summary>The lavfi pattern with a UTC clock burnt in (and its beeping tone), starting now.</summary>
    public static IReadOnlyList<string> TestPattern(TestPatternSource t) => TestPatternInput.Arguments(t, TimeProvider.System.GetUtcNow());

    /// <summary>
    /// A V4L2 capture node in the format, size and rate picked from its capabilities, then (input 1) its microphone
    /// when it has one: ALSA capture at the rate and channel count the device offers. Small input queues: a live
    /// camera must not build up latency behind a slow encoder.
    /// </summary>
    public static IReadOnlyList<string> Usb(UsbSource u) => u.Microphone is { } mic
        ? ["-thread_queue_size", "64", "-f", "v4l2", "-input_format", u.InputFormat, "-video_size", u.Resolution.ToString(), "-framerate", Invariant(u.Fps), "-i", u.DevicePath,
            "-thread_queue_size", "64", "-f", "alsa", "-sample_rate", Invariant(mic.Rate), "-channels", Invariant(mic.Channels), "-i", mic.AlsaName]
        : ["-thread_queue_size", "64", "-f", "v4l2", "-input_format", u.InputFormat, "-video_size", u.Resolution.ToString(), "-framerate", Invariant(u.Fps), "-i", u.DevicePath];

    /// <summary>
    /// An RTSP input. A URL without credentials is an argument as usual; one with a user or password is handed to
    /// ffmpeg on its standard input as a concat script of one entry (with the RTSP options beside it), so the
    /// credential never appears in the child's command line.
    /// </summary>
    public static InputArguments Rtsp(string url, string transport)
    {
        (string Name, string Value)[] options = transport == "automatic"
            ? [("timeout", "5000000")]
            : [("rtsp_transport", transport), ("timeout", "5000000")];
        if (string.IsNullOrEmpty(new Uri(url).UserInfo))
        {
            return new InputArguments([.. options.SelectMany(o => new[] { "-" + o.Name, o.Value }), "-i", url]);
        }

        var script = new System.Text.StringBuilder("ffconcat version 1.0\n")
            .Append("file ").Append(ConcatQuote(url)).Append('\n');
        foreach (var (name, value) in options)
        {
            script.Append("option ").Append(name).Append(' ').Append(value).Append('\n');
        }

        return new InputArguments(
            ["-f", "concat", "-safe", "0", "-protocol_whitelist", "pipe,rtsp,rtsps,rtp,srtp,tcp,udp,tls,crypto", "-i", "pipe:0"],
            script.ToString());
    }

    /// <summary>A concat-script token: single-quoted, a quote inside written as <c>'\''</c>.</summary>
    private static string ConcatQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// The source URL with credentials inserted, asked of the secret store at each open (past its cache), so a rotated
    /// camera password is used at the next probe, reconnect or path reconciliation.
    /// </summary>
    public async ValueTask<string> AuthorizedUrlAsync(RtspSource source, CancellationToken cancellationToken)
    {
        var user = source.Username is null ? null : await secrets.GetCurrentAsync(source.Username, cancellationToken).ConfigureAwait(false);
        var password = source.Password is null ? null : await secrets.GetCurrentAsync(source.Password, cancellationToken).ConfigureAwait(false);
        if (user is null && password is null)
        {
            return source.Url.ToString();
        }

        var builder = new UriBuilder(source.Url)
        {
            UserName = Uri.EscapeDataString(user ?? ""),
            Password = Uri.EscapeDataString(password ?? ""),
        };
        return builder.Uri.ToString();
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

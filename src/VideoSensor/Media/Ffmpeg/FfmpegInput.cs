using System.Globalization;
using VideoSensor.Cameras;
using VideoSensor.Platform.Secrets;

namespace VideoSensor.Media.Ffmpeg;

/// <summary>Turns a camera source into ffmpeg input arguments, resolving credentials at the last moment.</summary>
internal sealed class FfmpegInput(ISecretSource secrets)
{
    public async ValueTask<IReadOnlyList<string>> ArgumentsAsync(CameraSource source, CancellationToken cancellationToken) => source switch
    {
        TestPatternSource t => TestPattern(t),
        RtspSource r => Rtsp(await AuthorizedUrlAsync(r, cancellationToken).ConfigureAwait(false), r.Transport),
        UsbSource u => Usb(u),
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

    public static IReadOnlyList<string> Rtsp(string url, string transport) => transport == "automatic"
        ? ["-timeout", "5000000", "-i", url]
        : ["-rtsp_transport", transport, "-timeout", "5000000", "-i", url];

    /// <summary>The source URL with credentials from the secret source inserted.</summary>
    public async ValueTask<string> AuthorizedUrlAsync(RtspSource source, CancellationToken cancellationToken)
    {
        var user = source.Username is null ? null : await secrets.GetAsync(source.Username, cancellationToken).ConfigureAwait(false);
        var password = source.Password is null ? null : await secrets.GetAsync(source.Password, cancellationToken).ConfigureAwait(false);
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

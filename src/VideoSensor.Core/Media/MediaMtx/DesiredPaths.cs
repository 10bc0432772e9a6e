using Microsoft.Extensions.Options;
using VideoSensor.Cameras;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.FeedOwnership;

namespace VideoSensor.Media.MediaMtx;

/// <summary>
/// What MediaMTX should have for each camera: RTSP feeds are pulled by MediaMTX itself
/// (<c>source: rtsp://…</c> with credentials resolved now, never stored); USB and test-pattern cameras, and RTSP
/// feeds with <c>audio.webrtc: transcode</c>, are pushed by the service's ingest (<c>source: publisher</c>) and carry an on-demand hold
/// (<see cref="OnDemandHold"/>) so MediaMTX keeps a reader of an idle camera waiting until the ingest publishes.
/// </summary>
internal sealed class DesiredPaths(CameraRegistry registry, FfmpegInput input, IFeedOwnership ownership, IOptions<MediaOptions> options)
{
    public const string Publisher = "publisher";

    /// <summary>
    /// The <c>runOnDemand</c> command of publisher paths. It publishes nothing: the service starts the ingest when
    /// the auth callback sees the reader (and answers that callback at once, since MediaMTX authenticates inside the
    /// loop that also serves its API and publishers). A path with a <c>runOnDemand</c> is what makes MediaMTX hold the
    /// reader until a publisher arrives (<c>runOnDemandStartTimeout</c>) instead of answering "no stream is available".
    /// When MediaMTX stops it after <c>runOnDemandCloseAfter</c> the publisher is left alone: the service stops idle
    /// ingests itself, so a recording's hold keeps its stream.
    /// </summary>
    public const string OnDemandHold = "sleep infinity";

    public async Task<IReadOnlyDictionary<string, PathConf>> BuildAsync(CancellationToken cancellationToken)
    {
        var desired = new Dictionary<string, PathConf>(StringComparer.Ordinal);
        foreach (var camera in registry.List())
        {
            // An RTSP feed another instance ingests gets no path here, so MediaMTX never pulls it twice.
            if (!PathNames.IsValid(camera.Id) || (camera.Source is RtspSource && !ownership.Owns(camera.Id)))
            {
                continue;
            }

            desired[camera.Id] = camera.Source switch
            {
                // A feed republished with Opus audio for WebRTC is published by the service's ingest, like a USB camera.
                RtspSource { OpusForWebRtc: false } rtsp => new PathConf
                {
                    Source = await input.AuthorizedUrlAsync(rtsp, cancellationToken).ConfigureAwait(false),
                    RtspTransport = rtsp.Transport,
                    SourceOnDemand = options.Value.MediaMtx.SourceOnDemand,
                },
                _ => new PathConf
                {
                    Source = Publisher,
                    RunOnDemand = OnDemandHold,
                    RunOnDemandStartTimeout = Seconds(options.Value.MediaMtx.PublishTimeoutSeconds),
                    RunOnDemandCloseAfter = Seconds(options.Value.MediaMtx.AutoCloseAfter),
                    // The ingest's ffmpeg sends sender reports from its first packet on, timed from one shared start:
                    // audio and video stay in sync for every reader.
                    UseAbsoluteTimestamp = true,
                },
            };
        }

        return desired;
    }

    /// <summary>True when every field the service sets already has the wanted value.</summary>
    public static bool Matches(PathConf wanted, PathConf actual) =>
        wanted.Source == actual.Source
        && (wanted.RtspTransport is null || wanted.RtspTransport == actual.RtspTransport)
        && (wanted.SourceOnDemand is null || wanted.SourceOnDemand == (actual.SourceOnDemand ?? false))
        && (wanted.RunOnDemand is null || wanted.RunOnDemand == actual.RunOnDemand)
        && SameDuration(wanted.RunOnDemandStartTimeout, actual.RunOnDemandStartTimeout)
        && SameDuration(wanted.RunOnDemandCloseAfter, actual.RunOnDemandCloseAfter)
        && (wanted.UseAbsoluteTimestamp is null || wanted.UseAbsoluteTimestamp == (actual.UseAbsoluteTimestamp ?? false));

    private static string Seconds(int seconds) => seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + "s";

    /// <summary>MediaMTX answers durations in Go's form (<c>5m0s</c> for <c>300s</c>), so they are compared as time spans.</summary>
    private static bool SameDuration(string? wanted, string? actual) =>
        wanted is null || (GoDuration.TryParse(wanted, out var w) && GoDuration.TryParse(actual, out var a) && w == a);
}

using Microsoft.Extensions.Options;
using VideoSensor.Cameras;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Platform.FeedOwnership;

namespace VideoSensor.Media.MediaMtx;

/// <summary>
/// What MediaMTX should have for each camera: RTSP feeds are pulled by MediaMTX itself
/// (<c>source: rtsp://…</c> with credentials resolved now, never stored); USB and test-pattern cameras
/// are pushed by the service's ingest (<c>source: publisher</c>).
/// </summary>
internal sealed class DesiredPaths(CameraRegistry registry, FfmpegInput input, IFeedOwnership ownership, IOptions<MediaOptions> options)
{
    public const string Publisher = "publisher";

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
                RtspSource rtsp => new PathConf
                {
                    Source = await input.AuthorizedUrlAsync(rtsp, cancellationToken).ConfigureAwait(false),
                    RtspTransport = rtsp.Transport,
                    SourceOnDemand = options.Value.MediaMtx.SourceOnDemand,
                },
                _ => new PathConf { Source = Publisher },
            };
        }

        return desired;
    }

    /// <summary>True when every field the service sets already has the wanted value.</summary>
    public static bool Matches(PathConf wanted, PathConf actual) =>
        wanted.Source == actual.Source
        && (wanted.RtspTransport is null || wanted.RtspTransport == actual.RtspTransport)
        && (wanted.SourceOnDemand is null || wanted.SourceOnDemand == (actual.SourceOnDemand ?? false));
}

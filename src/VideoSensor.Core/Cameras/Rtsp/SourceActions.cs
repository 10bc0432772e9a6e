using VideoSensor.Configuration;
using VideoSensor.Contracts;
using VideoSensor.Errors;
using VideoSensor.Security;

namespace VideoSensor.Cameras.Rtsp;

/// <summary>
/// Add or replace an RTSP feed at run time: the single implementation behind JSON-RPC <c>add_external_stream</c> and
/// REST <c>POST</c>/<c>PUT /api/v1/sources</c>. The feed is checked by the <c>cameras.rtsp</c> rules of the config
/// file, stored, and probed before the answer, so the status returned is measured.
/// </summary>
internal sealed class SaveSource(ManagedSources sources, CameraRegistry registry)
{
    public const Role Access = Role.Operator;

    public async Task<SourceState> ExecuteAsync(SaveSourceRequest request, CancellationToken cancellationToken)
    {
        request.Validate();
        var stored = await sources.SaveAsync(request.Source, request.Replace, request.StreamType, cancellationToken).ConfigureAwait(false);
        return SourceState.Of(stored, ManagedSources.ApiOrigin, registry);
    }
}

/// <summary>
/// Remove an RTSP feed added at run time, with its camera and any credentials entered for it: behind JSON-RPC
/// <c>remove_external_stream</c> (by URL) and REST <c>DELETE /api/v1/sources/{id}</c> (by id).
/// </summary>
internal sealed class RemoveSource(ManagedSources sources, SourceCredentials credentials)
{
    public const Role Access = Role.Operator;

    public StoredSource Execute(RemoveSourceRequest request)
    {
        request.Validate();
        var removed = sources.Remove(request.Id, request.Url);
        credentials.Remove(removed.Id);
        return removed;
    }
}

/// <summary>
/// Probe RTSP feeds now rather than at the next periodic probe: behind REST <c>POST /api/v1/sources/{id}/probe</c>
/// and the Dapr <c>rescan</c> command.
/// </summary>
internal sealed class ProbeSources(RtspFeeds feeds, ManagedSources sources, CameraRegistry registry)
{
    public const Role Access = Role.Operator;

    public async Task<ProbeResult> ExecuteAsync(ProbeSourcesRequest request, CancellationToken cancellationToken)
    {
        request.Validate();
        if (request.Id is { } id && sources.Find(id) is null)
        {
            throw new NotFoundException("source", id, "list the sources to see their ids");
        }

        var probed = await feeds.RescanAsync(request.Id, cancellationToken).ConfigureAwait(false);
        var cameras = registry.List();
        return new ProbeResult(probed, cameras.Count, cameras.Count(c => c.Status == CameraStatus.Connected));
    }
}

/// <summary>A feed in the <c>cameras.rtsp</c> shape; <see cref="Replace"/> says whether it must exist already.</summary>
internal sealed class SaveSourceRequest : IValidatedRequest
{
    public const string DefaultStreamType = "rtsp";
    public static readonly string[] StreamTypes = [DefaultStreamType, "ip_camera", "generic_rtsp"];

    public required RtspCameraOptions Source { get; init; }
    public bool Replace { get; init; }
    public string StreamType { get; init; } = DefaultStreamType;

    /// <summary>The config file's rules for an RTSP feed; the first problem is the answer, naming its key (<c>url</c>, <c>id</c>, …).</summary>
    public void Validate()
    {
        foreach (var (key, message) in ConfigLoader.Validate(Source))
        {
            throw new InvalidParameterException(key, message, $"'{key}' {message}");
        }

        if (!StreamTypes.Contains(StreamType, StringComparer.Ordinal))
        {
            throw new InvalidParameterException("stream_type", $"one of {string.Join(", ", StreamTypes)}", $"'stream_type' must be one of {string.Join(", ", StreamTypes)}");
        }
    }
}

/// <summary>A feed added at run time, named by exactly one of its id or its URL.</summary>
internal sealed class RemoveSourceRequest : IValidatedRequest
{
    public string? Id { get; init; }
    public string? Url { get; init; }

    public void Validate()
    {
        if ((Id is null) == (Url is null))
        {
            throw new InvalidParameterException("id", "exactly one of id or url", "name the source by its id or by its URL");
        }

        if (Id is not null && !CameraIds.IsValid(Id))
        {
            throw new InvalidParameterException("id", "matches " + CameraIds.Pattern, "'id' is not a valid camera id");
        }

        if (Url is { Length: 0 or > 2048 })
        {
            throw new InvalidParameterException("url", "a URL a source was added with", "'url' is empty or too long");
        }
    }
}

/// <summary>One feed by id, or every RTSP feed when <see cref="Id"/> is null.</summary>
internal sealed class ProbeSourcesRequest : IValidatedRequest
{
    public string? Id { get; init; }

    public void Validate()
    {
        if (Id is not null && !CameraIds.IsValid(Id))
        {
            throw new InvalidParameterException("id", "matches " + CameraIds.Pattern, "'id' is not a valid camera id");
        }
    }
}

/// <summary>A feed as its callers show it: its settings, where it comes from, and its camera's measured status.</summary>
internal sealed record SourceState(RtspCameraOptions Source, string Origin, DateTimeOffset? AddedAt, string StreamType, CameraStatus Status, string? Reason)
{
    public static SourceState Of(RtspCameraOptions source, string origin, CameraRegistry registry)
    {
        registry.TryGet(source.Id, out var camera);
        var stored = source as StoredSource;
        return new SourceState(source, origin, stored?.AddedAt, stored?.StreamType ?? SaveSourceRequest.DefaultStreamType,
            camera?.Status ?? CameraStatus.Disconnected, camera?.StatusReason);
    }
}

internal sealed record ProbeResult(int Probed, int Cameras, int Connected);

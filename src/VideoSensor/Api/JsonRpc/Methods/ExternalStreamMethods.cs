using VideoSensor.Requests;
using VideoSensor.Contracts;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Discovery;
using VideoSensor.Secrets;
using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc.Methods;

/// <summary>RTSP streams added at run time, and discovery of streams on configured hosts.</summary>
internal sealed class ExternalStreamMethods(ExternalStreams streams, StreamDiscovery discovery, CameraRegistry registry, TimeProvider time) : IRpcMethodGroup
{
    [RpcErrors(RpcErrorCodes.InvalidState, RpcErrorCodes.DependencyFailed)]
    [RpcMethod("add_external_stream", Role.Operator, "Adds an RTSP stream as a camera (credentials only as secret references).", Result = "{stream_url, stream_name, stream_type, status, timestamp}")]
    public ExternalStreamResult Add(AddExternalStreamParams request)
    {
        var stream = streams.Add(request.StreamName, new Uri(request.StreamUrl), request.StreamType ?? "rtsp", request.Username, request.Password);
        return new ExternalStreamResult(stream.Url, stream.Name, stream.Type, "ADDED", Now());
    }

    [RpcErrors(RpcErrorCodes.NotFound)]
    [RpcMethod("remove_external_stream", Role.Operator, "Removes a stream added with add_external_stream.", Result = "{stream_url, status, timestamp}")]
    public RemovedStreamResult Remove(RemoveExternalStreamParams request)
    {
        var stream = streams.Remove(request.StreamUrl);
        return new RemovedStreamResult(stream.Url, "REMOVED", Now());
    }

    [RpcMethod("get_external_streams", Role.Viewer, "The streams added at run time, with their camera status.", Result = "{external_streams, total_count, timestamp}")]
    public ExternalStreamList List()
    {
        var list = streams.List().Select(s =>
        {
            var status = registry.TryGet(s.Name, out var camera) ? camera.Status.ToWire() : "DISCONNECTED";
            return new ExternalStreamView(s.Url, s.Name, s.Type, status, s.Added.UtcDateTime.ToString("O"), camera?.StatusReason);
        }).ToList();
        return new ExternalStreamList(list, list.Count, Now());
    }

    [RpcErrors(RpcErrorCodes.InvalidState)]
    [RpcMethod("discover_external_streams", Role.Operator, "Probes the configured hosts, ports and paths with RTSP DESCRIBE.", Result = "{discovered_streams, total_found, scan_timestamp, scan_duration, errors}")]
    public async Task<DiscoveryResult> DiscoverAsync(DiscoverParams request, CancellationToken cancellationToken)
    {
        var scan = await discovery.ScanAsync(request.ForceRescan ?? false, cancellationToken).ConfigureAwait(false);
        var found = scan.Streams.ToList();
        if (request.IncludeOffline ?? false)
        {
            // Known RTSP cameras the scan did not reach are listed as offline, so a client sees every stream it knows.
            var seen = found.Select(f => f.Url).ToHashSet(StringComparer.Ordinal);
            found.AddRange(registry.List().Select(c => c.Source).OfType<RtspSource>()
                .Where(s => !seen.Contains(s.Url.ToString()))
                .Select(s => new DiscoveredStream(s.Url.ToString(), s.Url.Host, s.Url.Port, s.Url.AbsolutePath, "offline", 0, null, 0, Known: true)));
        }

        return new DiscoveryResult(found, found.Count, scan.Timestamp.UtcDateTime.ToString("O"), Math.Round(scan.Duration.TotalSeconds, 3), scan.Errors);
    }

    [RpcMethod("set_discovery_interval", Role.Admin, "Sets (and persists) the background discovery interval in seconds; 0 turns it off.", Result = "{scan_interval, status, message, timestamp}")]
    public DiscoveryIntervalResult SetInterval(DiscoveryIntervalParams request)
    {
        discovery.SetInterval(request.ScanInterval);
        var message = request.ScanInterval == 0 ? "background discovery is off" : $"discovery runs every {request.ScanInterval} s";
        return new DiscoveryIntervalResult(request.ScanInterval, "UPDATED", message, Now());
    }

    private string Now() => time.GetUtcNow().UtcDateTime.ToString("O");
}

internal sealed class AddExternalStreamParams : IValidatedRequest
{
    public required string StreamUrl { get; init; }
    public required string StreamName { get; init; }
    public string? StreamType { get; init; }
    public SecretReference? Username { get; init; }
    public SecretReference? Password { get; init; }

    public void Validate()
    {
        if (!Uri.TryCreate(StreamUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("rtsp" or "rtsps") || uri.Host.Length == 0)
        {
            throw RequestRules.Invalid("stream_url", "an absolute rtsp:// or rtsps:// URL", "'stream_url' is not an RTSP URL");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw RequestRules.Invalid("stream_url", "no credentials in the URL: pass username/password as {secret, key} references", "'stream_url' must not contain credentials");
        }

        if (!CameraIds.IsValid(StreamName))
        {
            throw RequestRules.Invalid("stream_name", "matches " + CameraIds.Pattern, "'stream_name' is not a valid camera id");
        }

        RequestRules.OneOf(StreamType, "stream_type", "rtsp", "ip_camera", "generic_rtsp");
        foreach (var (reference, param) in new[] { (Username, "username"), (Password, "password") })
        {
            if (reference is not null && (string.IsNullOrEmpty(reference.Secret) || string.IsNullOrEmpty(reference.Key)))
            {
                throw RequestRules.Invalid(param, "{secret, key} naming an entry in the secret store", $"'{param}' must be a secret reference");
            }
        }
    }
}

internal sealed class RemoveExternalStreamParams : IValidatedRequest
{
    public required string StreamUrl { get; init; }

    public void Validate()
    {
        if (StreamUrl.Length is 0 or > 2048)
        {
            throw RequestRules.Invalid("stream_url", "a URL given to add_external_stream", "'stream_url' is empty or too long");
        }
    }
}

internal sealed class DiscoverParams
{
    public bool? ForceRescan { get; init; }
    public bool? IncludeOffline { get; init; }
}

internal sealed class DiscoveryIntervalParams : IValidatedRequest
{
    public required int ScanInterval { get; init; }

    public void Validate() => RequestRules.Range(ScanInterval, 0, 86_400, "scan_interval");
}

internal sealed record ExternalStreamResult(string StreamUrl, string StreamName, string StreamType, string Status, string Timestamp);

internal sealed record RemovedStreamResult(string StreamUrl, string Status, string Timestamp);

internal sealed record ExternalStreamView(string StreamUrl, string StreamName, string StreamType, string Status, string AddedTime, string? Reason);

internal sealed record ExternalStreamList(IReadOnlyList<ExternalStreamView> ExternalStreams, int TotalCount, string Timestamp);

internal sealed record DiscoveryResult(IReadOnlyList<DiscoveredStream> DiscoveredStreams, int TotalFound, string ScanTimestamp, double ScanDuration, IReadOnlyList<string> Errors);

internal sealed record DiscoveryIntervalResult(int ScanInterval, string Status, string Message, string Timestamp);

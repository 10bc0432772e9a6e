using VideoSensor.Requests;
using VideoSensor.Contracts;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Discovery;
using VideoSensor.Cameras.Rtsp;
using VideoSensor.Secrets;
using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc.Methods;

/// <summary>RTSP streams added at run time, and discovery of streams on configured hosts.</summary>
internal sealed partial class ExternalStreamMethods(SaveSource saveSource, RemoveSource removeSource, ManagedSources sources, StreamDiscovery discovery, CameraRegistry registry, TimeProvider time) : IRpcMethodGroup
{
    /// <summary>This method's names for the source fields the shared rules report.</summary>
    private static readonly Dictionary<string, string> ParamNames = new(StringComparer.Ordinal) { ["url"] = "stream_url", ["id"] = "stream_name" };

    [RpcErrors(RpcErrorCodes.InvalidState, RpcErrorCodes.DependencyFailed)]
    [RpcMethod("add_external_stream", SaveSource.Access, "Adds an RTSP stream as a camera (credentials only as secret references); the same feeds as /api/v1/sources.", Result = "{stream_url, stream_name, stream_type, status, timestamp}")]
    public async Task<ExternalStreamResult> AddAsync(AddExternalStreamParams request, CancellationToken cancellationToken)
    {
        var source = new RtspCameraOptions { Id = request.StreamName, Url = request.StreamUrl, Username = request.Username, Password = request.Password };
        var saved = await InvalidParams.RenamedAsync(ParamNames, () => saveSource.ExecuteAsync(
            new SaveSourceRequest { Source = source, StreamType = request.StreamType ?? SaveSourceRequest.DefaultStreamType }, cancellationToken)).ConfigureAwait(false);
        return new ExternalStreamResult(saved.Source.Url, saved.Source.Id, saved.StreamType, "ADDED", Now());
    }

    [RpcErrors(RpcErrorCodes.NotFound)]
    [RpcMethod("remove_external_stream", RemoveSource.Access, "Removes a stream added with add_external_stream (or POST /api/v1/sources).", Result = "{stream_url, status, timestamp}")]
    public RemovedStreamResult Remove(RemoveExternalStreamParams request)
    {
        var removed = InvalidParams.Renamed(ParamNames, () => removeSource.Execute(new RemoveSourceRequest { Url = request.StreamUrl }));
        return new RemovedStreamResult(removed.Url, "REMOVED", Now());
    }

    [RpcMethod("get_external_streams", Role.Viewer, "The streams added at run time, with their camera status.", Result = "{external_streams, total_count, timestamp}")]
    public ExternalStreamList List()
    {
        var list = sources.Added().Select(s =>
        {
            var state = SourceState.Of(s, ManagedSources.ApiOrigin, registry);
            return new ExternalStreamView(s.Url, s.Id, state.StreamType, state.Status.ToWire(), (state.AddedAt ?? time.GetUtcNow()).UtcDateTime.ToString("O"), state.Reason);
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

/// <summary>Wire shape of <c>add_external_stream</c>; the rules are <see cref="SaveSourceRequest"/>'s.</summary>
internal sealed class AddExternalStreamParams
{
    public required string StreamUrl { get; init; }
    public required string StreamName { get; init; }
    public string? StreamType { get; init; }
    public SecretReference? Username { get; init; }
    public SecretReference? Password { get; init; }
}

/// <summary>Wire shape of <c>remove_external_stream</c>; the rules are <see cref="RemoveSourceRequest"/>'s.</summary>
internal sealed class RemoveExternalStreamParams
{
    public required string StreamUrl { get; init; }
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

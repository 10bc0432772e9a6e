using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VideoSensor.Errors;
using VideoSensor.Storage;

namespace VideoSensor.Cameras.Rtsp;

/// <summary>
/// RTSP feeds added at run time (REST <c>/api/v1/sources</c> and JSON-RPC <c>add_external_stream</c> alike), kept in
/// <c>state/sources.json</c> with the same shape and rules as <c>cameras.rtsp</c> (credentials only as secret
/// references). Each becomes an RTSP camera, probed at once. Feeds from the config file are listed but not changed
/// here: the file stays the authority for them.
/// </summary>
internal sealed class ManagedSources(CameraRegistry registry, RtspFeeds feeds, IOptionsMonitor<CamerasOptions> cameras, IOptions<StorageOptions> storage, TimeProvider time) : IHostedService
{
    public const string FileName = "sources.json";
    public const string ConfigOrigin = "config";
    public const string ApiOrigin = "api";

    private readonly StateFile<List<StoredSource>> _file = new(Path.Combine(storage.Value.StatePath, FileName));
    private readonly Lock _gate = new();
    private List<StoredSource> _sources = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _sources = _file.Read() ?? [];
            ImportLegacyStreams();
            foreach (var source in _sources.Where(s => !registry.TryGet(s.Id, out _)))
            {
                registry.Upsert(RtspFeeds.ToCamera(source) with { StatusReason = "not probed yet" });
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Every RTSP feed: from the config file (origin "config") and added at run time (origin "api").</summary>
    public IReadOnlyList<(RtspCameraOptions Source, string Origin)> List()
    {
        lock (_gate)
        {
            return [.. cameras.CurrentValue.Rtsp.Select(s => (s, ConfigOrigin)), .. _sources.Select(s => ((RtspCameraOptions)s, ApiOrigin))];
        }
    }

    /// <summary>The feeds added at run time only.</summary>
    public IReadOnlyList<StoredSource> Added()
    {
        lock (_gate)
        {
            return [.. _sources];
        }
    }

    public (RtspCameraOptions Source, string Origin)? Find(string id) => List().Cast<(RtspCameraOptions, string)?>().FirstOrDefault(s => s!.Value.Item1.Id == id);

    /// <summary>Adds (<paramref name="replace"/> false) or replaces a feed added at run time, then probes it so its status is real.</summary>
    public async Task<StoredSource> SaveAsync(RtspCameraOptions source, bool replace, string streamType, CancellationToken cancellationToken)
    {
        StoredSource stored;
        lock (_gate)
        {
            var existing = _sources.FindIndex(s => s.Id == source.Id);
            if (cameras.CurrentValue.Rtsp.Any(s => s.Id == source.Id))
            {
                throw new InvalidStateException($"source '{source.Id}' is defined in the config file", "CONFIGURED", ["MANAGED"], "change it in the config file, or use another id");
            }

            if (!replace && registry.TryGet(source.Id, out _))
            {
                throw new InvalidStateException($"a camera with id '{source.Id}' exists already", "EXISTS", ["ABSENT"], "replace it (PUT), or choose another id");
            }

            if (replace && existing < 0)
            {
                throw new NotFoundException("source", source.Id, "add it first (POST /api/v1/sources or add_external_stream)");
            }

            // One feed, one camera: a second camera on the same URL would pull the same stream twice.
            if (List().FirstOrDefault(s => s.Source.Id != source.Id && SameUrl(s.Source.Url, source.Url)) is { Source: { } twin })
            {
                throw new InvalidStateException($"this URL is the feed of camera '{twin.Id}' already", "EXISTS", ["ABSENT"], "list the sources to see it");
            }

            stored = StoredSource.From(source, existing >= 0 ? _sources[existing].AddedAt ?? time.GetUtcNow() : time.GetUtcNow(), streamType);
            if (existing >= 0)
            {
                _sources[existing] = stored;
            }
            else
            {
                _sources.Add(stored);
            }

            _file.Write(_sources);
            registry.Upsert(RtspFeeds.ToCamera(stored) with { StatusReason = "not probed yet" });
        }

        await feeds.RescanAsync(stored.Id, cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <summary>Removes a feed added at run time, named by its id or by its URL, and its camera.</summary>
    public StoredSource Remove(string? id, string? url)
    {
        lock (_gate)
        {
            if (id is not null && cameras.CurrentValue.Rtsp.Any(s => s.Id == id))
            {
                throw new InvalidStateException($"source '{id}' is defined in the config file", "CONFIGURED", ["MANAGED"], "remove it from the config file");
            }

            var source = _sources.FirstOrDefault(s => id is not null ? s.Id == id : SameUrl(s.Url, url))
                ?? throw new NotFoundException("source", id ?? "(that URL)", "list the sources added at run time to see them");
            _sources.Remove(source);
            _file.Write(_sources);
            registry.Remove(source.Id);
            return source;
        }
    }

    private static bool SameUrl(string a, string? b) => string.Equals(a, b, StringComparison.Ordinal);

    private void ImportLegacyStreams()
    {
        var legacy = LegacyExternalStreams.Read(storage.Value.StatePath);
        if (legacy.Count == 0)
        {
            return;
        }

        _sources.AddRange(legacy.Where(l => _sources.All(s => s.Id != l.Id)));
        _file.Write(_sources);
        LegacyExternalStreams.Retire(storage.Value.StatePath);
    }
}

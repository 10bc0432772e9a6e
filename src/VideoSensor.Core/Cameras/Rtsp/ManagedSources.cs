using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VideoSensor.Errors;
using VideoSensor.Storage;

namespace VideoSensor.Cameras.Rtsp;

/// <summary>
/// RTSP feeds managed over REST (<c>/api/v1/sources</c>), kept in <c>state/sources.json</c> with the same shape and
/// rules as <c>cameras.rtsp</c> (credentials only as secret references). Each becomes an RTSP camera, probed at once.
/// Feeds from the config file are listed but not changed here: the file stays the authority for them.
/// </summary>
internal sealed class ManagedSources(CameraRegistry registry, RtspFeeds feeds, IOptionsMonitor<CamerasOptions> cameras, IOptions<StorageOptions> storage) : IHostedService
{
    public const string FileName = "sources.json";

    private readonly StateFile<List<RtspCameraOptions>> _file = new(Path.Combine(storage.Value.StatePath, FileName));
    private readonly Lock _gate = new();
    private List<RtspCameraOptions> _sources = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _sources = _file.Read() ?? [];
            foreach (var source in _sources.Where(s => !registry.TryGet(s.Id, out _)))
            {
                registry.Upsert(RtspFeeds.ToCamera(source) with { StatusReason = "not probed yet" });
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Every RTSP feed: from the config file (origin "config") and managed here (origin "api").</summary>
    public IReadOnlyList<(RtspCameraOptions Source, string Origin)> List()
    {
        lock (_gate)
        {
            return [.. cameras.CurrentValue.Rtsp.Select(s => (s, "config")), .. _sources.Select(s => (s, "api"))];
        }
    }

    public (RtspCameraOptions Source, string Origin)? Find(string id) => List().Cast<(RtspCameraOptions, string)?>().FirstOrDefault(s => s!.Value.Item1.Id == id);

    /// <summary>Adds (<paramref name="replace"/> false) or replaces a managed feed, then probes it so its status is real.</summary>
    public async Task<RtspCameraOptions> SaveAsync(RtspCameraOptions source, bool replace, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var existing = _sources.FindIndex(s => s.Id == source.Id);
            if (cameras.CurrentValue.Rtsp.Any(s => s.Id == source.Id))
            {
                throw new InvalidStateException($"source '{source.Id}' is defined in the config file", "CONFIGURED", ["MANAGED"], "change it in the config file, or use another id");
            }

            if (!replace && registry.TryGet(source.Id, out _))
            {
                throw new InvalidStateException($"a camera with id '{source.Id}' exists already", "EXISTS", ["ABSENT"], "use PUT to change it, or choose another id");
            }

            if (replace && existing < 0)
            {
                throw new NotFoundException("source", source.Id, "POST /api/v1/sources creates a source");
            }

            if (existing >= 0)
            {
                _sources[existing] = source;
            }
            else
            {
                _sources.Add(source);
            }

            _file.Write(_sources);
            registry.Upsert(RtspFeeds.ToCamera(source) with { StatusReason = "not probed yet" });
        }

        await feeds.RescanAsync(source.Id, cancellationToken).ConfigureAwait(false);
        return source;
    }

    public void Remove(string id)
    {
        lock (_gate)
        {
            if (cameras.CurrentValue.Rtsp.Any(s => s.Id == id))
            {
                throw new InvalidStateException($"source '{id}' is defined in the config file", "CONFIGURED", ["MANAGED"], "remove it from the config file");
            }

            if (_sources.RemoveAll(s => s.Id == id) == 0)
            {
                throw new NotFoundException("source", id, "GET /api/v1/sources lists the sources");
            }

            _file.Write(_sources);
            registry.Remove(id);
        }
    }
}

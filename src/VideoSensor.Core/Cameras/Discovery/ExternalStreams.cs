using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VideoSensor.Errors;
using VideoSensor.Secrets;
using VideoSensor.Storage;

namespace VideoSensor.Cameras.Discovery;

/// <summary>
/// RTSP streams added over the API. Each becomes an RTSP camera in the registry (probed like configured
/// feeds) and is kept in <c>state/external-streams.json</c>, without credentials (those are references).
/// </summary>
internal sealed class ExternalStreams(CameraRegistry registry, IOptions<StorageOptions> storage, TimeProvider time) : IHostedService
{
    private readonly StateFile<List<ExternalStream>> _file = new(Path.Combine(storage.Value.StatePath, "external-streams.json"));
    private readonly Lock _gate = new();
    private List<ExternalStream> _streams = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _streams = _file.Read() ?? [];
        }

        foreach (var stream in _streams)
        {
            if (!registry.TryGet(stream.Name, out _))
            {
                registry.Upsert(ToCamera(stream));
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public IReadOnlyList<ExternalStream> List()
    {
        lock (_gate)
        {
            return [.. _streams];
        }
    }

    public ExternalStream Add(string name, Uri url, string type, SecretReference? username, SecretReference? password)
    {
        lock (_gate)
        {
            if (registry.TryGet(name, out _))
            {
                throw new InvalidStateException($"a camera named '{name}' exists already", "EXISTS", ["ABSENT"], "choose another stream_name or remove the existing stream first");
            }

            if (_streams.Any(s => string.Equals(s.Url, url.ToString(), StringComparison.Ordinal)))
            {
                throw new InvalidStateException("this stream_url is added already", "EXISTS", ["ABSENT"], "call get_external_streams to see it");
            }

            var stream = new ExternalStream(name, url.ToString(), type, time.GetUtcNow(), username, password);
            _streams.Add(stream);
            _file.Write(_streams);
            registry.Upsert(ToCamera(stream));
            return stream;
        }
    }

    public ExternalStream Remove(string url)
    {
        lock (_gate)
        {
            var stream = _streams.FirstOrDefault(s => string.Equals(s.Url, url, StringComparison.Ordinal))
                ?? throw new NotFoundException("stream", url, "call get_external_streams for the added streams");
            _streams.Remove(stream);
            _file.Write(_streams);
            registry.Remove(stream.Name);
            return stream;
        }
    }

    private static Camera ToCamera(ExternalStream stream) => new(
        stream.Name,
        CameraKind.Rtsp,
        stream.Name,
        CameraStatus.Disconnected,
        new Resolution(0, 0),
        0,
        new RtspSource(new Uri(stream.Url), stream.Username, stream.Password, "tcp"),
        CameraCapabilities.Unknown,
        "not probed yet");
}

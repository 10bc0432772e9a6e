using VideoSensor.Health;

namespace VideoSensor.Api.Rest;

// The bodies of the REST answers that are not JSON-RPC results, as types so /openapi.json can describe them.

internal sealed record LiveBody(string Status);

internal sealed record ReadyBody(string Status, string Health, IReadOnlyDictionary<string, ComponentHealth> Components);

internal sealed record HealthBody(string Status, string Timestamp, string Version, double Uptime, IReadOnlyDictionary<string, ComponentHealth> Components);

internal sealed record CapabilitiesBody(
    string Service,
    string Version,
    IReadOnlyList<string> Methods,
    IReadOnlyList<string> CameraKinds,
    IReadOnlyList<CameraCapabilityView> Cameras,
    IReadOnlyList<string> SnapshotFormats,
    int MaxStreams,
    int ActiveStreams);

internal sealed record CameraCapabilityView(string Device, string Status, IReadOnlyList<string> Formats, IReadOnlyList<string> Resolutions);

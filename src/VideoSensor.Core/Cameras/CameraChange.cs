namespace VideoSensor.Cameras;

/// <summary>What happened to a camera in the registry.</summary>
internal enum CameraChangeKind
{
    Connected,
    Disconnected,
    StatusChanged,
    Removed,
}

/// <summary>A registry change, published to event sinks.</summary>
internal sealed record CameraChange(CameraChangeKind Kind, Camera Camera, Camera? Previous);

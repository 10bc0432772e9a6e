namespace VideoSensor.Cameras;

/// <summary>One camera in the inventory, whatever its kind. Immutable: the registry swaps whole values.</summary>
internal sealed record Camera(
    string Id,
    CameraKind Kind,
    string Name,
    CameraStatus Status,
    Resolution Resolution,
    int Fps,
    CameraSource Source,
    CameraCapabilities Capabilities,
    string? StatusReason = null,
    string? DevicePath = null);

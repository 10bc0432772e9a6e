namespace VideoSensor.Cameras;

/// <summary>One camera in the inventory, whatever its kind. Immutable: the registry swaps whole values.</summary>
/// <remarks><see cref="Audio"/> is the audio track last measured from the camera's stream (null: none seen, or not measured yet).</remarks>
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
    string? DevicePath = null,
    AudioTrack? Audio = null);

namespace VideoSensor.Cameras;

/// <summary>What a camera can deliver: pixel formats, frame sizes and rates, and its microphone when it has one.</summary>
internal sealed record CameraCapabilities(
    IReadOnlyList<string> Formats,
    IReadOnlyList<Resolution> Resolutions,
    IReadOnlyList<int> FrameRates,
    IReadOnlyList<string> Features,
    string ValidationStatus,
    AudioCapability? Audio = null)
{
    public static CameraCapabilities Unknown { get; } = new([], [], [], [], "none");
}

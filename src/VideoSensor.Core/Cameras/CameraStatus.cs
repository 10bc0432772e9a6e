namespace VideoSensor.Cameras;

/// <summary>A camera's state as clients see it.</summary>
internal enum CameraStatus
{
    Connected,
    Disconnected,
    Error,
}

internal static class CameraStatusExtensions
{
    /// <summary>The wire form used by the JSON-RPC contract.</summary>
    public static string ToWire(this CameraStatus status) => status switch
    {
        CameraStatus.Connected => "CONNECTED",
        CameraStatus.Disconnected => "DISCONNECTED",
        _ => "ERROR",
    };
}

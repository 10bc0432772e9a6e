using VideoSensor.Events;

namespace VideoSensor.Cameras;

/// <summary>
/// A camera in the registry changed: the camera as it is now, where it can be watched, and the status it had
/// before when that changed.
/// </summary>
internal abstract record CameraChanged(Camera Camera, StreamLinks Streams, CameraStatus? PreviousStatus) : SensorEvent(Camera.Id);

/// <summary>A camera appeared or came back.</summary>
internal sealed record CameraConnected(Camera Camera, StreamLinks Streams, CameraStatus? PreviousStatus)
    : CameraChanged(Camera, Streams, PreviousStatus);

/// <summary>A camera went away (unplugged, feed lost) or was removed.</summary>
internal sealed record CameraDisconnected(Camera Camera, StreamLinks Streams, CameraStatus? PreviousStatus)
    : CameraChanged(Camera, Streams, PreviousStatus);

/// <summary>Anything else about a camera changed (status, reason, mode).</summary>
internal sealed record CameraStatusChanged(Camera Camera, StreamLinks Streams, CameraStatus? PreviousStatus)
    : CameraChanged(Camera, Streams, PreviousStatus);

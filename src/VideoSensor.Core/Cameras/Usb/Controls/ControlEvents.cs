using VideoSensor.Events;

namespace VideoSensor.Cameras.Usb.Controls;

/// <summary>
/// A client set one control; <paramref name="Value"/> is what the driver reports after the write. It carries the
/// camera as it is now, so a status notification about it says the camera's status like every other one.
/// </summary>
internal sealed record CameraControlChanged(Camera Camera, StreamLinks Streams, string Control, uint ControlId, long Value, long? Previous) : SensorEvent(Camera.Id);

/// <summary>The remembered control values were applied to a camera that (re)appeared; each one either applied or failed.</summary>
internal sealed record CameraControlsRestored(Camera Camera, StreamLinks Streams, IReadOnlyList<string> Restored, IReadOnlyList<string> Failed) : SensorEvent(Camera.Id);

using VideoSensor.Events;

namespace VideoSensor.Cameras.Usb.Controls;

/// <summary>A client set one control; <paramref name="Value"/> is what the driver reports after the write.</summary>
internal sealed record CameraControlChanged(string CameraId, string Control, uint ControlId, long Value, long? Previous) : SensorEvent(CameraId);

/// <summary>The remembered control values were applied to a camera that (re)appeared; each one either applied or failed.</summary>
internal sealed record CameraControlsRestored(string CameraId, IReadOnlyList<string> Restored, IReadOnlyList<string> Failed) : SensorEvent(CameraId);

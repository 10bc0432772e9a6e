namespace VideoSensor.Events;

/// <summary>The service is ready and serving.</summary>
internal sealed record ServiceStarted(string Version) : SensorEvent(CameraId: null);

/// <summary>The service has been asked to stop.</summary>
internal sealed record ServiceStopping(string Reason) : SensorEvent(CameraId: null);

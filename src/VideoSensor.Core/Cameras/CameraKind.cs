namespace VideoSensor.Cameras;

/// <summary>Where a camera's video comes from.</summary>
internal enum CameraKind
{
    Usb,
    Rtsp,
    TestPattern,
}

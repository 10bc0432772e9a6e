using VideoSensor.Errors;

namespace VideoSensor.Cameras;

internal static class CameraGuards
{
    /// <summary>
    /// Throws -32020 unless the camera is connected, with the camera's own reason in the message (unplugged,
    /// 401 from the camera, ingested by another instance...), so the caller need not look it up.
    /// </summary>
    public static void RequireConnected(this Camera camera)
    {
        if (camera.Status != CameraStatus.Connected)
        {
            var reason = string.IsNullOrEmpty(camera.StatusReason) ? "" : $": {camera.StatusReason}";
            throw new InvalidStateException($"camera '{camera.Id}' is {camera.Status.ToWire()}{reason}", camera.Status.ToWire(), ["CONNECTED"],
                "wait for the camera to connect, or check get_camera_status");
        }
    }
}

using VideoSensor.Cameras;
using VideoSensor.Errors;

namespace VideoSensor.Api.JsonRpc.Methods;

/// <summary>Finds the camera a request names, or answers -32010.</summary>
internal sealed class CameraLookup(CameraRegistry registry)
{
    public Camera Get(string device) => registry.TryGet(device, out var camera)
        ? camera
        : throw new NotFoundException("camera", device, "call get_camera_list for the cameras this service has");
}

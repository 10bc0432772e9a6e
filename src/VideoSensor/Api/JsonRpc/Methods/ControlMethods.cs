using VideoSensor.Cameras;
using VideoSensor.Requests;
using VideoSensor.Contracts;
using System.Text.Json;
using VideoSensor.Cameras.Usb.Controls;
using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc.Methods;

/// <summary>Camera controls (brightness, exposure, focus …) of USB cameras, through V4L2.</summary>
internal sealed partial class ControlMethods(CameraControls controls, CameraRegistry cameras) : IRpcMethodGroup
{
    [RpcErrors(RpcErrorCodes.NotFound, RpcErrorCodes.Unsupported, RpcErrorCodes.DependencyFailed)]
    [RpcMethod("get_camera_controls", Role.Viewer, "A USB camera's controls with range, step, default, current value, menu and flags.", Result = "{device, controls:[{id, name, label, type, min, max, step, default, value, menu, flags, inactive, read_only}], total}")]
    public async Task<CameraControlList> GetCameraControlsAsync(DeviceParams request, CancellationToken cancellationToken)
    {
        var camera = cameras.Get(request.Device);
        var list = await controls.ListAsync(camera, cancellationToken).ConfigureAwait(false);
        return new CameraControlList(camera.Id, list, list.Count);
    }

    [RpcErrors(RpcErrorCodes.NotFound, RpcErrorCodes.InvalidState, RpcErrorCodes.Unsupported, RpcErrorCodes.DependencyFailed)]
    [RpcMethod("set_camera_control", Role.Operator, "Sets one control (validated against range, step, menu and flags), reads it back and keeps it for re-plugs and restarts.", Result = "{device, control, previous, requested, applied}")]
    public async Task<ControlChangeResult> SetCameraControlAsync(SetCameraControlParams request, CancellationToken cancellationToken)
    {
        var camera = cameras.Get(request.Device);
        return await controls.SetAsync(camera, request.ControlName, request.RequestedValue, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary><c>set_camera_control</c> params: <c>control</c> is a name (brightness) or a numeric id; <c>value</c> a number, a boolean, or a menu entry's name.</summary>
internal sealed class SetCameraControlParams : IValidatedRequest
{
    public required string Device { get; init; }
    public required JsonElement Control { get; init; }
    public required JsonElement Value { get; init; }

    internal string ControlName => Control.ValueKind == JsonValueKind.Number ? Control.GetRawText() : Control.GetString()!;

    internal ControlValueRequest RequestedValue => Value.ValueKind switch
    {
        JsonValueKind.True => new ControlValueRequest(1, null),
        JsonValueKind.False => new ControlValueRequest(0, null),
        JsonValueKind.Number => new ControlValueRequest(Value.GetInt64(), null),
        _ => new ControlValueRequest(null, Value.GetString()),
    };

    public void Validate()
    {
        RequestRules.Device(Device);
        if (!(Control.ValueKind == JsonValueKind.String && Control.GetString() is { Length: > 0 and <= 64 })
            && !(Control.ValueKind == JsonValueKind.Number && Control.TryGetUInt32(out _)))
        {
            throw RequestRules.Invalid("control", "a control name or numeric id", "'control' must be a control name (e.g. brightness) or its numeric id");
        }

        var valid = Value.ValueKind switch
        {
            JsonValueKind.True or JsonValueKind.False => true,
            JsonValueKind.Number => Value.TryGetInt64(out _),
            JsonValueKind.String => Value.GetString() is { Length: > 0 and <= 64 },
            _ => false,
        };
        if (!valid)
        {
            throw RequestRules.Invalid("value", "an integer, a boolean, or a menu entry's name", "'value' must be an integer, true/false, or a menu entry's name");
        }
    }
}

internal sealed record CameraControlList(string Device, IReadOnlyList<CameraControl> Controls, int Total);

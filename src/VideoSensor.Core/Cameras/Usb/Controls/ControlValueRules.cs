using VideoSensor.Errors;

namespace VideoSensor.Cameras.Usb.Controls;

/// <summary>
/// Checks a requested value against what the driver reported (flags, range, step, menu) before anything is
/// written, so a client hears exactly which rule it broke instead of an errno.
/// </summary>
internal static class ControlValueRules
{
    public static int Check(CameraControl control, long value)
    {
        if (!V4l2ControlSet.HasValue(control.RawType) && control.RawType != V4l2ControlAbi.TypeButton)
        {
            throw new UnsupportedException("control_type", $"control '{control.Name}' is of type {control.Type}, which this service does not set", "set integer, boolean, menu, bitmask or button controls");
        }

        if (control.ReadOnly)
        {
            throw new InvalidParameterException("control", "a writable control", $"control '{control.Name}' is read-only");
        }

        if ((control.RawFlags & V4l2ControlAbi.FlagGrabbed) != 0)
        {
            throw new InvalidStateException($"control '{control.Name}' is locked while the camera streams", "GRABBED", ["AVAILABLE"], "stop the stream, set the control, then start it again");
        }

        if (control.Inactive)
        {
            throw new InvalidStateException($"control '{control.Name}' is inactive in the camera's current mode", "INACTIVE", ["ACTIVE"], InactiveHint(control));
        }

        switch (control.RawType)
        {
            case V4l2ControlAbi.TypeButton:
                return 0;
            case V4l2ControlAbi.TypeBoolean when value is not (0 or 1):
                throw Invalid(control, "true, false, 0 or 1", $"'{control.Name}' is a boolean");
            case V4l2ControlAbi.TypeMenu or V4l2ControlAbi.TypeIntegerMenu when control.Menu?.All(m => m.Index != value) ?? true:
                var choices = string.Join(", ", (control.Menu ?? []).Select(m => m.Name is null ? $"{m.Index} ({m.Value})" : $"{m.Index} ({m.Name})"));
                throw Invalid(control, $"one of the menu indexes or names: {choices}", $"{value} is not an entry of menu '{control.Name}'");
            case V4l2ControlAbi.TypeBitmask when (value & ~control.Max) != 0 || value < 0:
                throw Invalid(control, $"a bit mask within 0x{control.Max:x}", $"{value} sets bits '{control.Name}' does not have");
            case V4l2ControlAbi.TypeInteger:
                if (value < control.Min || value > control.Max)
                {
                    throw Invalid(control, RangeRule(control), $"{value} is outside {control.Min}..{control.Max} for '{control.Name}'");
                }

                if (control.Step > 1 && (value - control.Min) % control.Step != 0)
                {
                    throw Invalid(control, RangeRule(control), $"{value} is not on a step of {control.Step} from {control.Min} for '{control.Name}'");
                }

                break;
        }

        return checked((int)value);
    }

    private static string RangeRule(CameraControl c) => c.Step > 1
        ? $"an integer from {c.Min} to {c.Max} in steps of {c.Step}"
        : $"an integer from {c.Min} to {c.Max}";

    private static string InactiveHint(CameraControl control) => control.Id switch
    {
        V4l2ControlAbi.CidExposureAbsolute => "set exposure_auto to manual mode (1) first",
        V4l2ControlAbi.CidWhiteBalanceTemperature => "turn white_balance_automatic (auto white balance) off first",
        V4l2ControlAbi.CidFocusAbsolute => "turn focus_automatic_continuous (auto focus) off first",
        _ => "change the control that switches it to automatic mode first",
    };

    private static InvalidParameterException Invalid(CameraControl control, string rule, string message) =>
        new("value", rule, message + $" (control {control.Name})");
}

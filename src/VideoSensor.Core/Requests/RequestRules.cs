using System.Text.RegularExpressions;
using VideoSensor.Cameras;
using VideoSensor.Storage;

using VideoSensor.Errors;

namespace VideoSensor.Requests;

/// <summary>Checks shared by many requests; each failure names the param and its rule (-32602 on every transport).</summary>
internal static partial class RequestRules
{
    public const string DeviceRule = "a camera id matching " + CameraIds.Pattern + " or a /dev/videoN path";

    public static void Device(string? device, string param = "device")
    {
        if (device is null)
        {
            throw Invalid(param, "required", $"'{param}' is required");
        }

        if (!CameraIds.IsValid(device) && !DevicePath().IsMatch(device))
        {
            throw Invalid(param, DeviceRule, $"'{param}' is not a valid camera id");
        }
    }

    public static void OptionalDevice(string? device)
    {
        if (device is not null)
        {
            Device(device);
        }
    }

    public static void FileName(string? fileName, string param = "filename")
    {
        if (fileName is null)
        {
            throw Invalid(param, "required", $"'{param}' is required");
        }

        if (!FileNames.IsSafe(fileName))
        {
            throw Invalid(param, FileNames.Rule, $"'{param}' is not a plain file name");
        }
    }

    public static void Range(long? value, long min, long max, string param)
    {
        if (value is { } v && (v < min || v > max))
        {
            throw Invalid(param, $"an integer from {min} to {max}", $"'{param}' must be between {min} and {max}");
        }
    }

    public static void OneOf(string? value, string param, params string[] allowed)
    {
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            throw Invalid(param, $"one of {string.Join(", ", allowed)}", $"'{param}' must be one of {string.Join(", ", allowed)}");
        }
    }

    public static InvalidParameterException Invalid(string param, string rule, string details) => new(param, rule, details);

    [GeneratedRegex(@"^/dev/video[0-9]{1,3}$", RegexOptions.CultureInvariant)]
    private static partial Regex DevicePath();
}

using System.Text.RegularExpressions;

namespace VideoSensor.Cameras;

/// <summary>The rule every camera id follows, from the API contract.</summary>
internal static partial class CameraIds
{
    public const string Pattern = "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$";

    public static bool IsValid(string? id) => id is not null && IdRegex().IsMatch(id);

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex IdRegex();
}

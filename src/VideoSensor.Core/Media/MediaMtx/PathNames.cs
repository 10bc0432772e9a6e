using System.Text.RegularExpressions;

namespace VideoSensor.Media.MediaMtx;

/// <summary>Which path names the service sends to MediaMTX: camera ids only, so a name never needs escaping.</summary>
internal static partial class PathNames
{
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    public static string Require(string? name) => IsValid(name)
        ? name!
        : throw new MediaMtxException(MediaMtxFailure.InvalidRequest, $"'{Describe(name)}' is not a valid stream path name (letters, digits, '_' and '-', up to 64, starting with a letter or digit)");

    private static string Describe(string? name) => name is null ? "(null)" : name.Length > 40 ? name[..40] + "…" : name;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

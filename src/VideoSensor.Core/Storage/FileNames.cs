using System.Globalization;
using System.Text.RegularExpressions;

namespace VideoSensor.Storage;

/// <summary>The rules for names of stored files: plain, safe, and unique per store.</summary>
internal static partial class FileNames
{
    public const int MaxLength = 200;

    /// <summary>True for a name that can only ever mean a file directly inside a store folder.</summary>
    public static bool IsSafe(string? name) =>
        name is { Length: > 0 and <= MaxLength }
        && SafeName().IsMatch(name)
        && !name.Contains("..", StringComparison.Ordinal);

    /// <summary>The reason a name is not safe, for -32602's <c>rule</c>.</summary>
    public static string Rule => "a plain file name of letters, digits, '.', '_' or '-' (no path separators, no '..'), at most 200 characters";

    /// <summary>The default name: camera id + UTC time (ms) + sequence, e.g. <c>cam1_20261124T101500123Z_0.jpg</c>.</summary>
    public static string Generate(string device, DateTimeOffset time, int sequence, string extension) =>
        $"{Stem(device, time, sequence)}.{extension}";

    /// <summary>A name without extension, e.g. <c>cam1_20261124T101500123Z_7</c>; recordings add a segment number to it.</summary>
    public static string Stem(string device, DateTimeOffset time, int sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{device}_{time.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}_{sequence}");

    /// <summary>Longest name a client may ask for; leaves room for the <c>_N</c> a taken name gets.</summary>
    public const int MaxRequestedLength = 180;

    /// <summary>The rule for client-chosen snapshot names, for -32602's <c>rule</c>.</summary>
    public static string RequestedRule =>
        "letters, digits, '.', '_' or '-', starting with a letter or digit, no '..', at most 180 characters; an extension, if any, of .jpg/.jpeg for jpg and .png for png";

    /// <summary>
    /// The stored name for a client-chosen one: kept as given (the format's extension added when it has none), or
    /// null when it breaks <see cref="RequestedRule"/>. Never renamed or truncated: a bad name is the client's to fix.
    /// </summary>
    public static string? Requested(string requested, string extension)
    {
        if (requested.Length > MaxRequestedLength || !IsSafe(requested))
        {
            return null;
        }

        var given = Path.GetExtension(requested).ToLowerInvariant();
        return given switch
        {
            ".jpg" or ".jpeg" => extension == "jpg" ? requested : null,
            ".png" => extension == "png" ? requested : null,
            _ => $"{requested}.{extension}",
        };
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();
}

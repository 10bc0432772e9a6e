using System.Globalization;
using System.Text;
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

    /// <summary>
    /// Makes a client-chosen name safe: keeps letters, digits, '.', '_' and '-', turns everything else into
    /// '_', and forces the extension. Returns null when nothing usable is left.
    /// </summary>
    public static string? Sanitize(string requested, string extension)
    {
        var stem = Path.GetFileNameWithoutExtension(requested.Replace('\\', '/').Split('/')[^1]);
        var sb = new StringBuilder(stem.Length);
        foreach (var c in stem)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        }

        var clean = sb.ToString().Trim('_', '-');
        if (clean.Length == 0)
        {
            return null;
        }

        if (clean.Length > MaxLength - extension.Length - 1)
        {
            clean = clean[..(MaxLength - extension.Length - 1)];
        }

        return $"{clean}.{extension}";
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();
}

using System.Globalization;

namespace VideoSensor.Cameras;

/// <summary>A frame size in pixels, written <c>1280x720</c> on the wire.</summary>
internal readonly record struct Resolution(int Width, int Height)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height}");

    public static bool TryParse(string? text, out Resolution resolution)
    {
        resolution = default;
        if (text is null)
        {
            return false;
        }

        var parts = text.Split('x', 'X');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            && w is > 0 and <= 16384 && h is > 0 and <= 16384)
        {
            resolution = new Resolution(w, h);
            return true;
        }

        return false;
    }
}

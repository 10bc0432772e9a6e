using System.Globalization;
using System.Text.RegularExpressions;

namespace VideoSensor.Cameras.Usb;

/// <summary>An ALSA capture device found on a camera's USB device, with what it offers.</summary>
internal sealed record UsbMicrophoneInfo(int Card, int Device, string CardId, IReadOnlyList<int> Channels, IReadOnlyList<int> Rates)
{
    /// <summary>48 kHz when offered (Opus's own rate: no resampling), else the highest rate.</summary>
    public int PreferredRate => Rates.Contains(48000) ? 48000 : Rates.Count > 0 ? Rates.Max() : 48000;

    /// <summary>Stereo when offered, else the fewest channels (a webcam's mono).</summary>
    public int PreferredChannels => Channels.Contains(2) ? 2 : Channels.Count > 0 ? Channels.Min() : 1;

    public UsbMicrophone ToSource() => new(Card, Device, PreferredChannels, PreferredRate);

    public AudioCapability ToCapability() => new(Channels, Rates, CardId);
}

/// <summary>
/// Pairs a camera with its microphone: a UVC camera's microphone is an ALSA card on the same USB device (its audio
/// interfaces sit next to the video ones), so the card whose sysfs path lies under the camera's USB device directory
/// is the one. Channels and rates come from the USB audio driver's <c>/proc/asound/cardN/stream0</c> (sysfs has
/// none). Roots are configurable so tests can lay out both trees.
/// </summary>
internal sealed partial class UsbMicrophones(string sysfsRoot, string procRoot)
{
    private readonly string _soundClass = Path.Combine(sysfsRoot, "class", "sound");

    /// <summary>The first capture device of the ALSA card on <paramref name="usbDeviceDir"/>, or null when it has none.</summary>
    public UsbMicrophoneInfo? Find(string? usbDeviceDir)
    {
        if (usbDeviceDir is null || !Directory.Exists(_soundClass))
        {
            return null;
        }

        var prefix = Path.GetFullPath(usbDeviceDir) + Path.DirectorySeparatorChar;
        foreach (var entry in Directory.EnumerateFileSystemEntries(_soundClass).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(entry);
            if (CardName().Match(name) is not { Success: true } card || Resolve(entry) is not { } cardDir || !cardDir.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var number = int.Parse(card.Groups[1].Value, CultureInfo.InvariantCulture);
            var capture = Directory.EnumerateFileSystemEntries(cardDir)
                .Select(p => CaptureName().Match(Path.GetFileName(p)))
                .Where(m => m.Success && int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) == number)
                .Select(m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
                .Order()
                .ToList();
            if (capture.Count == 0)
            {
                continue; // an output-only card (a headset's speaker): not a microphone
            }

            var id = ReadText(Path.Combine(cardDir, "id")) ?? $"card{number}";
            var (channels, rates) = ReadStream(Path.Combine(procRoot, "asound", $"card{number}", "stream0"));
            return new UsbMicrophoneInfo(number, capture[0], id, channels, rates);
        }

        return null;
    }

    /// <summary>The <c>Capture:</c> section's <c>Channels:</c> and <c>Rates:</c> lines (all alternate settings).</summary>
    internal static (IReadOnlyList<int> Channels, IReadOnlyList<int> Rates) ReadStream(string path)
    {
        var text = ReadText(path, 16384);
        var start = text?.IndexOf("Capture:", StringComparison.Ordinal) ?? -1;
        if (text is null || start < 0)
        {
            return ([], []);
        }

        var section = text[start..];
        var playback = section.IndexOf("Playback:", StringComparison.Ordinal);
        section = playback > 0 ? section[..playback] : section;
        var channels = new SortedSet<int>();
        var rates = new SortedSet<int>();
        foreach (var line in section.Split('\n').Select(l => l.Trim()))
        {
            var target = line.StartsWith("Channels:", StringComparison.Ordinal) ? channels : line.StartsWith("Rates:", StringComparison.Ordinal) ? rates : null;
            foreach (Match number in Number().Matches(target is null ? "" : line))
            {
                if (int.TryParse(number.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 768000)
                {
                    target!.Add(value);
                }
            }
        }

        return ([.. channels], [.. rates]);
    }

    private static string? Resolve(string entry)
    {
        try
        {
            var info = new DirectoryInfo(entry);
            return info.Exists ? Path.GetFullPath((info.ResolveLinkTarget(returnFinalTarget: true) ?? info).FullName) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? ReadText(string path, int limit = 256)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            using var stream = File.OpenRead(path);
            var buffer = new byte[limit];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            var text = System.Text.Encoding.UTF8.GetString(buffer, 0, read).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [GeneratedRegex("^card([0-9]{1,2})$", RegexOptions.CultureInvariant)]
    private static partial Regex CardName();

    [GeneratedRegex("^pcmC([0-9]{1,2})D([0-9]{1,2})c$", RegexOptions.CultureInvariant)]
    private static partial Regex CaptureName();

    [GeneratedRegex("[0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex Number();
}

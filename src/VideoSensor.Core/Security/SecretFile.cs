using System.Security.Cryptography;

namespace VideoSensor.Security;

/// <summary>
/// A random secret kept in a file only its owner can read: written to a 0600 temp file, flushed and renamed
/// over the old one, so a full disk or a crash leaves either the old secret or none, never an empty or
/// half-written file that would be read as a weak key.
/// </summary>
internal static class SecretFile
{
    /// <summary>The least key material any HS256 key may have (RFC 7518 §3.2).</summary>
    public const int MinimumBytes = 32;

    /// <summary>What <see cref="ReadOrCreate"/> found.</summary>
    internal enum Outcome
    {
        Read,
        Created,
        Replaced,
    }

    /// <summary>
    /// Reads the hex secret at <paramref name="path"/>; a missing file is created, and an empty, short or
    /// non-hex one is replaced (the caller warns), because trusting it would hand out a guessable key.
    /// </summary>
    public static (byte[] Secret, Outcome Outcome) ReadOrCreate(string path)
    {
        var existing = File.Exists(path);
        if (existing && TryRead(path) is { } secret)
        {
            RestrictToOwner(path);
            return (secret, Outcome.Read);
        }

        var fresh = RandomNumberGenerator.GetBytes(MinimumBytes);
        WriteAtomically(path, Convert.ToHexStringLower(fresh));
        return (fresh, existing ? Outcome.Replaced : Outcome.Created);
    }

    /// <summary>The decoded secret, or null when the file does not hold at least 32 bytes as hex.</summary>
    private static byte[]? TryRead(string path)
    {
        var info = new FileInfo(path);
        if (info.Length > 4096)
        {
            return null;
        }

        var text = File.ReadAllText(path).Trim();
        if (text.Length < MinimumBytes * 2 || text.Length % 2 != 0)
        {
            return null;
        }

        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static void WriteAtomically(string path, string content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                // Created 0600: the secret is never readable by others, not even between create and chmod.
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temp, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(content);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>An older build wrote the file 0644; a secret others can read is tightened on sight.</summary>
    private static void RestrictToOwner(string path)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace VideoSensor.Security;

/// <summary>One credential for one child process: a random user and password for one MediaMTX path and action.</summary>
internal sealed record ShortLivedCredential(string User, string Password, string Path, string Action);

/// <summary>
/// Credentials for the service's own ffmpeg/ffprobe readers of MediaMTX, so that what a child's command line
/// shows (<c>ps</c>, <c>/proc/*/cmdline</c>) is worth nothing to another local user: each is good for one path
/// and one action, must be first used within <see cref="Lifetime"/> of being issued, and dies
/// <see cref="UseWindow"/> after its first use (an RTSP read authenticates a few times in its first
/// moments: DESCRIBE, SETUP, PLAY). MediaMTX's auth callback asks <see cref="TryUse"/>.
/// </summary>
internal sealed class ShortLivedCredentials(TimeProvider time)
{
    public const string UserPrefix = "videosensor-once-";
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan UseWindow = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public ShortLivedCredential Issue(string path, string action)
    {
        Prune();
        var credential = new ShortLivedCredential(
            UserPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)),
            path,
            action);
        _entries[credential.User] = new Entry(credential, time.GetUtcNow() + Lifetime);
        return credential;
    }

    /// <summary>An RTSP URL on the local MediaMTX carrying a fresh credential for <paramref name="action"/> (read or publish) on <paramref name="path"/>.</summary>
    public string LocalRtspUrl(int port, string path, string action)
    {
        var credential = Issue(path, action);
        return $"rtsp://{credential.User}:{credential.Password}@127.0.0.1:{port}/{path}";
    }

    /// <summary>True when the pair is a live credential for exactly this path and action; the first use starts its short end.</summary>
    public bool TryUse(string? user, string? password, string? path, string? action)
    {
        if (user is null || password is null || !user.StartsWith(UserPrefix, StringComparison.Ordinal) || !_entries.TryGetValue(user, out var entry))
        {
            return false;
        }

        var now = time.GetUtcNow();
        var credential = entry.Credential;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(credential.Password))
            || credential.Path != path || credential.Action != action)
        {
            return false;
        }

        lock (entry)
        {
            if (now >= entry.ExpiresAt)
            {
                _entries.TryRemove(user, out _);
                return false;
            }

            if (!entry.Used)
            {
                entry.Used = true;
                entry.ExpiresAt = now + UseWindow < entry.ExpiresAt ? now + UseWindow : entry.ExpiresAt;
            }

            return true;
        }
    }

    public int Outstanding => _entries.Count;

    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var (user, entry) in _entries)
        {
            if (now >= entry.ExpiresAt)
            {
                _entries.TryRemove(user, out _);
            }
        }
    }

    private sealed class Entry(ShortLivedCredential credential, DateTimeOffset expiresAt)
    {
        public ShortLivedCredential Credential { get; } = credential;
        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;
        public bool Used { get; set; }
    }
}

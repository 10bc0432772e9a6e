using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VideoSensor.FeedOwnership;

/// <summary>
/// The actor id of a feed: a hash of its source URL without credentials, so instances that declare the
/// same camera under different ids (or with different accounts) still compete for one lease, and no
/// credential ever reaches an actor id, a state key or a log line.
/// </summary>
internal static class FeedKey
{
    public static string For(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var port = url.IsDefaultPort || url.Port < 0 ? 554 : url.Port;
        var normalized = string.Create(CultureInfo.InvariantCulture, $"{url.Scheme.ToLowerInvariant()}://{url.IdnHost.ToLowerInvariant()}:{port}{url.AbsolutePath}{url.Query}");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(normalized));
        return "rtsp-" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}

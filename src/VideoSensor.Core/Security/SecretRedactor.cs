using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace VideoSensor.Security;

/// <summary>
/// Scrubs secrets from text headed for logs, errors and clients: URL credentials in any form and every
/// secret value the service has resolved.
/// </summary>
internal sealed partial class SecretRedactor
{
    public const string Mask = "***";
    private readonly ConcurrentDictionary<string, byte> _secrets = new(StringComparer.Ordinal);

    /// <summary>Remembers a resolved secret so it is masked wherever it shows up later.</summary>
    public void Register(string secret)
    {
        // Very short values would mask ordinary words; they are weak secrets anyway.
        if (secret.Length >= 4)
        {
            _secrets.TryAdd(secret, 0);
        }
    }

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        var result = UserInfo().Replace(text, "${scheme}" + Mask + "@");
        foreach (var secret in _secrets.Keys)
        {
            result = result.Replace(secret, Mask, StringComparison.Ordinal);
            var escaped = Uri.EscapeDataString(secret);
            if (escaped != secret)
            {
                result = result.Replace(escaped, Mask, StringComparison.Ordinal);
            }
        }

        return result;
    }

    [GeneratedRegex(@"(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s'""]+@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();
}

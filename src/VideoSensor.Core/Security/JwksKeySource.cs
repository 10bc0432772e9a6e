using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace VideoSensor.Security;

/// <summary>
/// Public keys for RS256/ES256 tokens from a JWKS URL: cached for <c>jwks_refresh_minutes</c>, and
/// fetched again early when a token names a key id the cache does not have (key rotation), at most
/// once every 30 seconds so bad tokens cannot make the service hammer the issuer.
/// </summary>
internal sealed partial class JwksKeySource(IOptionsMonitor<SecurityOptions> options, IHttpClientFactory httpFactory, TimeProvider time, ILogger<JwksKeySource> logger)
{
    private static readonly TimeSpan MinRefetch = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _fetch = new(1, 1);
    private IReadOnlyList<SecurityKey> _keys = [];
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;

    public bool Enabled => !string.IsNullOrEmpty(options.CurrentValue.JwksUrl);

    public async ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(string? keyId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stale = now - _fetchedAt > TimeSpan.FromMinutes(options.CurrentValue.JwksRefreshMinutes);
        var unknownKid = keyId is not null && _keys.All(k => k.KeyId != keyId) && now - _fetchedAt > MinRefetch;
        if (stale || unknownKid)
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }

        return _keys;
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var url = options.CurrentValue.JwksUrl!;
            using var http = httpFactory.CreateClient(nameof(JwksKeySource));
            http.Timeout = TimeSpan.FromSeconds(5);
            try
            {
                var json = await http.GetStringAsync(new Uri(url), cancellationToken).ConfigureAwait(false);
                var set = new JsonWebKeySet(json);
                _keys = [.. set.GetSigningKeys()];
                LogFetched(logger, _keys.Count);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ArgumentException or System.Text.Json.JsonException)
            {
                // Keep the keys we had: an issuer outage must not lock everyone out before their tokens expire.
                LogFetchFailed(logger, ex.GetType().Name);
            }

            _fetchedAt = time.GetUtcNow();
        }
        finally
        {
            _fetch.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched {Count} signing keys from the JWKS URL")]
    private static partial void LogFetched(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not fetch the JWKS ({Error}); keeping the cached keys")]
    private static partial void LogFetchFailed(ILogger logger, string error);
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace VideoSensor.Security;

/// <summary>
/// Public keys for RS256/ES256 tokens from <c>security.jwks_url</c>, kept by IdentityModel's
/// <see cref="ConfigurationManager{T}"/>: fetched on first use, again every <c>jwks_refresh_minutes</c>, and early
/// when a token names a key id the keys lack (rotation) — at most once per <see cref="DefaultUnknownKeyRefetch"/>, so bad
/// tokens cannot make the service hammer the issuer. When the issuer cannot be reached the last keys stay in use:
/// an outage must not lock everyone out before their tokens expire.
/// </summary>
internal sealed partial class JwksKeySource : IDisposable
{
    /// <summary>
    /// Makes the manager fetch while the caller waits, not on a background task, so a just-rotated key is accepted at
    /// its first use. Set in every program's runtimeconfig (Directory.Build.props): IdentityModel reads it once, at
    /// the first use of any of its types.
    /// </summary>
    internal const string BlockingSwitch = "Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking";

    /// <summary>An unknown key id fetches the keys again at most this often.</summary>
    public static readonly TimeSpan DefaultUnknownKeyRefetch = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(5) };
    private readonly ConfigurationManager<JsonWebKeySet>? _manager;
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<JsonWebKeySet, IReadOnlyList<SecurityKey>> _converted = [];

    /// <param name="unknownKeyRefetch">Tests shorten it; the service uses <see cref="DefaultUnknownKeyRefetch"/>.</param>
    public JwksKeySource(IOptions<SecurityOptions> options, ILogger<JwksKeySource> logger, TimeSpan? unknownKeyRefetch = null)
    {
        // The security section is read once at start (it is not live), so one manager serves the process.
        if (options.Value.JwksUrl is not { Length: > 0 } url)
        {
            return;
        }

        var documents = new HttpDocumentRetriever(_http)
        {
            // https only, except a loopback issuer (a local identity provider, the tests); the configuration check
            // refuses other http URLs before the service starts.
            RequireHttps = !new Uri(url).IsLoopback,
            SendAdditionalHeaderData = false,
        };
        _manager = new ConfigurationManager<JsonWebKeySet>(url, new JwksRetriever(logger), documents)
        {
            AutomaticRefreshInterval = TimeSpan.FromMinutes(options.Value.JwksRefreshMinutes),
            RefreshInterval = unknownKeyRefetch ?? DefaultUnknownKeyRefetch,
        };
    }

    public bool Enabled => _manager is not null;

    /// <summary>The signing keys; fetched again first when <paramref name="keyId"/> is not among them (and the rate allows).</summary>
    /// <exception cref="AuthenticationException">No keys were ever fetched (the issuer has not answered yet).</exception>
    public async ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(string? keyId, CancellationToken cancellationToken)
    {
        var manager = _manager ?? throw new InvalidOperationException("security.jwks_url is not set");
        var keys = await FetchAsync(manager, cancellationToken).ConfigureAwait(false);
        if (keyId is not null && keys.All(k => k.KeyId != keyId))
        {
            manager.RequestRefresh();
            keys = await FetchAsync(manager, cancellationToken).ConfigureAwait(false);
        }

        return keys;
    }

    public void Dispose() => _http.Dispose();

    private async Task<IReadOnlyList<SecurityKey>> FetchAsync(ConfigurationManager<JsonWebKeySet> manager, CancellationToken cancellationToken)
    {
        JsonWebKeySet set;
        try
        {
            set = await manager.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Nothing fetched yet and the last try failed (the retriever logged why).
            throw new AuthenticationException("the identity provider's signing keys (security.jwks_url) could not be fetched yet; try again later");
        }

        // The manager hands out the same set until it fetches a new one: convert each set's keys once.
        return _converted.GetValue(set, fetched => [.. fetched.GetSigningKeys()]);
    }

    /// <summary>Reads a JWKS document (RFC 7517) as the configuration the manager keeps, and says how each fetch went.</summary>
    private sealed class JwksRetriever(ILogger logger) : IConfigurationRetriever<JsonWebKeySet>
    {
        public async Task<JsonWebKeySet> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            try
            {
                var set = new JsonWebKeySet(await retriever.GetDocumentAsync(address, cancel).ConfigureAwait(false));
                LogFetched(logger, set.Keys.Count);
                return set;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancel.IsCancellationRequested)
            {
                // The type and HTTP status only: the library's message carries the response body.
                LogFetchFailed(logger, Describe(ex));
                throw;
            }
        }

        private static string Describe(Exception ex) =>
            ex.Data[HttpDocumentRetriever.StatusCode] is System.Net.HttpStatusCode status ? $"HTTP {(int)status}"
            : ex.InnerException is { } inner ? $"{ex.GetType().Name}: {inner.GetType().Name}"
            : ex.GetType().Name;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched {Count} keys from the JWKS URL")]
    private static partial void LogFetched(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not fetch the JWKS ({Error}); tokens are checked with the keys fetched before, if any")]
    private static partial void LogFetchFailed(ILogger logger, string error);
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Errors;
using VideoSensor.Secrets;
using VideoSensor.Security;

using VideoSensor.Configuration;

namespace VideoSensor.Platform.Dapr;

/// <summary>
/// Secrets from the Dapr secret store (<c>dapr.secret_store</c>): <c>{secret: name, key: key}</c> is the
/// store's secret <c>name</c> and the <c>key</c> inside it. Values are kept for at most
/// <c>secret_cache_seconds</c>, so a rotated secret is used without a restart; credentials that open a connection
/// (<see cref="GetCurrentAsync"/>) are always asked of the store. Every value is registered with the redactor before
/// anyone sees it.
/// </summary>
internal sealed partial class DaprSecretSource(
    DaprSidecar sidecar,
    SidecarMonitor monitor,
    IOptionsMonitor<DaprOptions> options,
    SecretRedactor redactor,
    TimeProvider time,
    ILogger<DaprSecretSource> logger) : ISecretSource
{
    private readonly ConcurrentDictionary<string, Cached> _cache = new(StringComparer.Ordinal);

    public ValueTask<string?> GetAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        var ttl = TimeSpan.FromSeconds(options.CurrentValue.SecretCacheSeconds);
        if (ttl > TimeSpan.Zero && _cache.TryGetValue(reference.Secret, out var cached) && time.GetUtcNow() - cached.At < ttl)
        {
            return ValueTask.FromResult(cached.Values.GetValueOrDefault(reference.Key));
        }

        return GetCurrentAsync(reference, cancellationToken);
    }

    /// <summary>Asks the store every time (and refreshes the cache): a camera opened after a rotation gets the new value.</summary>
    public async ValueTask<string?> GetCurrentAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        IReadOnlyDictionary<string, string> values;
        try
        {
            using var scope = sidecar.CallScope(cancellationToken);
            values = await sidecar.Client.GetSecretAsync(current.SecretStore, reference.Secret, cancellationToken: scope.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (DaprErrors.IsUnavailable(ex))
            {
                monitor.ReportFailure(DaprErrors.Describe(ex));
                throw new DependencyException("dapr", $"the secret store '{current.SecretStore}' is not reachable ({DaprErrors.Describe(ex)})", "check the Dapr sidecar and its secret store component");
            }

            // The store answered: no such secret (or no access to it). Callers treat null as "not there".
            LogSecretMissing(logger, reference.ToString(), current.SecretStore, DaprErrors.Describe(ex));
            _cache.TryRemove(reference.Secret, out _);
            return null;
        }

        foreach (var value in values.Values)
        {
            redactor.Register(value);
        }

        _cache[reference.Secret] = new Cached(values, time.GetUtcNow());
        return values.GetValueOrDefault(reference.Key);
    }

    private sealed record Cached(IReadOnlyDictionary<string, string> Values, DateTimeOffset At);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Secret {Reference} is not in the Dapr secret store {Store}: {Reason}")]
    private static partial void LogSecretMissing(ILogger logger, string reference, string store, string reason);
}

using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Telemetry;

namespace VideoSensor.Security;

/// <summary>Where a credential came in, for the failure log and metric.</summary>
internal enum AuthChannel
{
    WebSocket,
    WebSocketUpgrade,
    Rest,

    /// <summary>A reader's credential that MediaMTX hands to the service's auth callback (RTSP, HLS, WebRTC).</summary>
    DataPlane,
}

/// <summary>A credential was not even checked: its address (or key prefix) used up its failure budget.</summary>
internal sealed class AuthenticationThrottledException(TimeSpan retryAfter)
    : Exception("too many failed authentication attempts from this address; wait before trying again")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// The one door for credentials from clients (WebSocket <c>authenticate</c>, the upgrade token, REST, MediaMTX readers): checks
/// the shared failure budget before <see cref="TokenService"/>, and logs and counts every failure by address,
/// channel and reason. The credential itself never reaches the log, only the first characters of an API key.
/// </summary>
internal sealed partial class AuthenticationGuard : IDisposable
{
    private const int KeyPrefixLength = 6;
    private readonly TokenService _tokens;
    private readonly AuthFailureLimiter _limiter;
    private readonly ILogger<AuthenticationGuard> _logger;
    private readonly Meter _meter;
    private readonly Counter<long> _failures;
    private long _failureCount;
    private long _throttledCount;

    public AuthenticationGuard(TokenService tokens, IOptions<SecurityOptions> options, TimeProvider time, IMeterFactory meters, ILogger<AuthenticationGuard> logger)
    {
        _tokens = tokens;
        _logger = logger;
        _limiter = new AuthFailureLimiter(options.Value.AuthFailureBurst, options.Value.AuthFailuresPerMinute, time);
        _meter = meters.Create(SensorMetrics.MeterName);
        _failures = _meter.CreateCounter<long>("videosensor.auth.failures", description: "Refused credentials by channel and reason (throttled: not checked, the address's failure budget was spent)");
    }

    /// <summary>Failures counted so far (checked and refused, plus refused unchecked).</summary>
    public long Failures => Interlocked.Read(ref _failureCount);

    public long Throttled => Interlocked.Read(ref _throttledCount);

    /// <summary>Authenticates, or throws <see cref="AuthenticationException"/> / <see cref="AuthenticationThrottledException"/>.</summary>
    public async ValueTask<AuthenticatedUser> AuthenticateAsync(string credential, IPAddress? client, AuthChannel channel, bool apiKeyOnly, CancellationToken cancellationToken)
    {
        var address = Describe(client);
        var keys = Keys(address, credential);
        var wait = _limiter.RetryAfter(keys);
        if (wait > TimeSpan.Zero)
        {
            Interlocked.Increment(ref _failureCount);
            Interlocked.Increment(ref _throttledCount);
            _failures.Add(1, new("channel", Wire(channel)), new("reason", "throttled"));
            LogThrottled(_logger, address, Wire(channel), (long)Math.Ceiling(wait.TotalSeconds));
            throw new AuthenticationThrottledException(wait);
        }

        try
        {
            return apiKeyOnly
                ? _tokens.ValidateApiKey(credential)
                : await _tokens.AuthenticateAsync(credential, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException ex)
        {
            _limiter.Fail(keys);
            Interlocked.Increment(ref _failureCount);
            _failures.Add(1, new("channel", Wire(channel)), new("reason", "rejected"));
            LogRejected(_logger, address, Wire(channel), LooksLikeJwt(credential) ? "jwt" : $"api key {Prefix(credential)}…", ex.Message);
            throw;
        }
    }

    private static string[] Keys(string address, string credential) =>
        LooksLikeJwt(credential) ? [$"addr:{address}"] : [$"addr:{address}", $"key:{Prefix(credential)}"];

    private static bool LooksLikeJwt(string credential) => credential.Count(c => c == '.') == 2;

    /// <summary>A few leading characters, enough to tell guesses at one key apart from others, far too few to use.</summary>
    private static string Prefix(string credential)
    {
        var prefix = credential.Length <= KeyPrefixLength * 2 ? "" : credential[..KeyPrefixLength];
        return new string([.. prefix.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '?')]);
    }

    private static string Describe(IPAddress? client) =>
        client is null ? "unknown" : (client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client).ToString();

    private static string Wire(AuthChannel channel) => channel switch
    {
        AuthChannel.WebSocket => "websocket",
        AuthChannel.WebSocketUpgrade => "websocket_upgrade",
        AuthChannel.DataPlane => "data_plane",
        _ => "rest",
    };

    public void Dispose() => _meter.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication failed from {Address} over {Channel} ({Credential}): {Reason}")]
    private static partial void LogRejected(ILogger logger, string address, string channel, string credential, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication refused unchecked from {Address} over {Channel}: too many failures, retry in {Seconds} s")]
    private static partial void LogThrottled(ILogger logger, string address, string channel, long seconds);
}

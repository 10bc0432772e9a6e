using VideoSensor.Requests;
using VideoSensor.Contracts;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using VideoSensor.Cameras;
using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc.Methods;

/// <summary>Connection-level methods: ping, authenticate, server info, discovery.</summary>
internal sealed partial class SystemMethods(
    RpcSessionAccessor sessions,
    AuthenticationGuard guard,
    RpcMethodCatalog catalog,
    IOptionsMonitor<SecurityOptions> security,
    Media.Capacity.CapacityTracker capacity,
    Telemetry.SensorMetrics metrics) : IRpcMethodGroup
{
    [PublicRpcMethod("ping", "Liveness check of the connection.", Result = "\"pong\"")]
    public string Ping() => "pong";

    [RpcErrors(RpcErrorCodes.AuthenticationRequired)]
    [PublicRpcMethod("authenticate", "Authenticates the connection with a JWT or an API key.", Result = "{authenticated, role, permissions, expires_at, session_id}")]
    public async Task<AuthenticateResult> AuthenticateAsync(AuthenticateParams request, CancellationToken cancellationToken)
    {
        var session = sessions.Session;
        var lockout = session.AuthenticationLockout;
        if (lockout > TimeSpan.Zero)
        {
            // A refused attempt must not leave the connection with the role of an earlier credential.
            session.SignOut();
            throw new RpcException(RpcError.RateLimited(lockout, "too many failed authentication attempts on this connection"));
        }

        var credential = request.AuthToken ?? request.Token!;
        AuthenticatedUser user;
        try
        {
            user = await guard.AuthenticateAsync(credential, session.RemoteAddress, AuthChannel.WebSocket, apiKeyOnly: request.AuthType == "api_key", cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationThrottledException ex)
        {
            session.SignOut();
            throw new RpcException(RpcError.RateLimited(ex.RetryAfter, ex.Message));
        }
        catch (AuthenticationException)
        {
            session.SignOut();
            session.AuthenticationFailed();
            metrics.AuthenticationFailed("rpc");
            throw;
        }

        session.SignIn(user);
        return new AuthenticateResult(true, user.Role.ToWire(), user.Role.Permissions(), user.ExpiresAt?.UtcDateTime.ToString("O"), session.SessionId, user.UserId, user.Method);
    }

    [RpcMethod("get_server_info", Role.Viewer, "What this service is and what it can do.", Result = "{name, version, build_date, architecture, capabilities, supported_formats, max_cameras, go_version, runtime_version}")]
    public ServerInfo GetServerInfo()
    {
        var assembly = typeof(SystemMethods).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
        var buildDate = assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "BuildDate")?.Value ?? "";
        return new ServerInfo(
            "DaprCamera Video Sensor",
            version,
            buildDate,
            RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
            ServerCapabilities(catalog),
            ["jpg", "png", "fmp4", "mp4", "mkv"],
            MaxCameras: 64,
            DevMode: security.CurrentValue.DevMode,
            MaxStreams: capacity.Limit,
            ActiveStreams: capacity.InUse,
            GoVersion: RuntimeInformation.FrameworkDescription,
            RuntimeVersion: RuntimeInformation.FrameworkDescription);
    }

    [PublicRpcMethod("rpc.discover", "An OpenRPC document describing every method.", Result = "OpenRPC 1.2.6 document")]
    public Dictionary<string, object?> Discover() => OpenRpcDocument.Build(catalog);

    private static List<string> ServerCapabilities(RpcMethodCatalog catalog)
    {
        var capabilities = new List<string> { "snapshots", "rtsp_feeds", "test_pattern" };
        if (catalog.TryGet("start_recording", out _))
        {
            capabilities.Add("recording");
        }

        if (catalog.TryGet("start_streaming", out _))
        {
            capabilities.Add("streaming");
        }

        if (catalog.TryGet("subscribe_events", out _))
        {
            capabilities.Add("events");
        }

        return capabilities;
    }
}

/// <summary><c>authenticate</c> params: <c>auth_token</c>, or the older <c>token</c> + <c>auth_type</c>.</summary>
internal sealed class AuthenticateParams : IValidatedRequest
{
    public string? AuthToken { get; init; }
    public string? Token { get; init; }
    public string? AuthType { get; init; }

    public void Validate()
    {
        if (string.IsNullOrEmpty(AuthToken) && string.IsNullOrEmpty(Token))
        {
            throw RequestRules.Invalid("auth_token", "required", "'auth_token' is required");
        }

        RequestRules.OneOf(AuthType, "auth_type", "jwt", "api_key");
    }
}

internal sealed record AuthenticateResult(bool Authenticated, string Role, IReadOnlyList<string> Permissions, string? ExpiresAt, string SessionId, string UserId, string AuthMethod);

/// <summary>
/// <c>get_server_info</c>. <c>go_version</c> is the field name existing clients require for the runtime's
/// version (the service they were written for was a Go program); here it holds the .NET runtime, as does
/// <c>runtime_version</c>, the name that says what it is.
/// </summary>
internal sealed record ServerInfo(string Name, string Version, string BuildDate, string Architecture, IReadOnlyList<string> Capabilities, IReadOnlyList<string> SupportedFormats, int MaxCameras, bool DevMode, int MaxStreams, int ActiveStreams, string GoVersion, string RuntimeVersion);

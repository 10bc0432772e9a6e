using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Api.JsonRpc.Pipeline;
using VideoSensor.Configuration;
using VideoSensor.Hosting.Telemetry;
using VideoSensor.Telemetry;
using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc;

/// <summary>The <c>/ws</c> endpoint: checks origin, connection limit and an optional upgrade token, then runs a connection.</summary>
internal static partial class WebSocketEndpoint
{
    private static long s_nextClient;

    public static IEndpointConventionBuilder MapJsonRpc(this WebApplication app, string path) => app.Map(path, HandleAsync);

    private static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var server = services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var security = services.GetRequiredService<IOptionsMonitor<SecurityOptions>>().CurrentValue;
        var connections = services.GetRequiredService<RpcConnections>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("VideoSensor.Api.JsonRpc");
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("this endpoint speaks JSON-RPC 2.0 over WebSocket", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !security.CorsOrigins.Contains("*") && !security.CorsOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase) && !IsSameOrigin(context, origin))
        {
            LogOriginRejected(logger, origin);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (!connections.TryReserve(server.MaxConnections))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "5";
            return;
        }

        try
        {
            await AcceptAsync(context, services, server, connections, logger).ConfigureAwait(false);
        }
        finally
        {
            connections.Release();
        }
    }

    private static async Task AcceptAsync(HttpContext context, IServiceProvider services, ServerOptions server, RpcConnections connections, ILogger logger)
    {
        var time = services.GetRequiredService<TimeProvider>();
        var clientId = $"client-{Interlocked.Increment(ref s_nextClient)}";
        var session = new RpcSession(clientId, time, context.Connection.RemoteIpAddress);
        if (UpgradeToken(context) is { } token)
        {
            try
            {
                session.SignIn(await services.GetRequiredService<AuthenticationGuard>().AuthenticateAsync(token, context.Connection.RemoteIpAddress, AuthChannel.WebSocketUpgrade, apiKeyOnly: false, context.RequestAborted).ConfigureAwait(false));
            }
            catch (AuthenticationThrottledException ex)
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = ((long)Math.Ceiling(ex.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await context.Response.WriteAsync(ex.Message, context.RequestAborted).ConfigureAwait(false);
                return;
            }
            catch (AuthenticationException ex)
            {
                services.GetRequiredService<SensorMetrics>().AuthenticationFailed("websocket_upgrade");
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsync(ex.Message, context.RequestAborted).ConfigureAwait(false);
                return;
            }
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<RpcSessionAccessor>().Session = session;
        var metrics = services.GetRequiredService<SensorMetrics>();
        var catalog = services.GetRequiredService<RpcMethodCatalog>();
        var pipeline = new RpcPipeline(
            new ShapeCheck(catalog, server.MaxMessageBytes),
            new RateCheck(new TokenBucket(server.RateLimitPerSecond, server.RateLimitBurst, time)),
            session,
            logger);
        var handler = new WebSocketRpcHandler(socket, pipeline, metrics, time, server.MaxMessageBytes, logger);
        var connection = new RpcConnection(socket, session, scope.ServiceProvider, catalog, handler, server.NotificationQueue, logger);
        await using (connection.ConfigureAwait(false))
        {
            connections.Add(connection);
            metrics.ConnectionOpened();
            try
            {
                var stopping = services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping;
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
                await connection.RunAsync(linked.Token).ConfigureAwait(false);
            }
            finally
            {
                connections.Remove(connection);
                metrics.ConnectionClosed();
            }
        }
    }

    private static string? UpgradeToken(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        var query = context.Request.Query["token"].ToString();
        return query.Length > 0 ? query : null;
    }

    private static bool IsSameOrigin(HttpContext context, string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebSocket from origin {Origin} refused (not in security.cors_origins)")]
    private static partial void LogOriginRejected(ILogger logger, string origin);
}

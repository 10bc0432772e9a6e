using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VideoSensor.Configuration;
using VideoSensor.Health;

namespace VideoSensor.Api.WebConsole;

/// <summary>
/// The operator console: <c>/</c> is the page, <c>/console/...</c> its scripts and styles, and
/// <c>/console/config.json</c> what the page needs to know about this service (WebSocket path, refresh
/// timing). No auth here: the page holds no data; it signs in over the WebSocket like any client.
/// </summary>
internal static class ConsoleApi
{
    public static IServiceCollection AddConsole(this IServiceCollection services)
    {
        services.AddSingleton<ConsoleAssets>();
        services.AddSingleton<ConsolePolicy>();
        return services;
    }

    public static void MapConsole(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IOptions<ConsoleOptions>>().Value.Enabled)
        {
            return;
        }

        var group = app.MapGroup("").ExcludeFromDescription();
        group.MapGet("/", (HttpContext http, ConsoleAssets assets, ConsolePolicy policy) => Serve(http, assets, policy, "index.html"));
        group.MapGet("/console/config.json", (HttpContext http, ConsolePolicy policy, IOptions<ServerOptions> server, IOptions<ConsoleOptions> options) =>
        {
            policy.Apply(http);
            http.Response.Headers.CacheControl = "no-store";
            return Results.Json(new ConsoleConfigBody(server.Value.WebSocketPath, HealthReporter.Version, options.Value.SnapshotRefreshSeconds, options.Value.LiveTimeoutSeconds, options.Value.WebRtc), Json.HostJson.HttpInfo<ConsoleConfigBody>());
        });
        group.MapGet("/console/{**path}", (string? path, HttpContext http, ConsoleAssets assets, ConsolePolicy policy) => Serve(http, assets, policy, path ?? ""));
    }

    private static IResult Serve(HttpContext http, ConsoleAssets assets, ConsolePolicy policy, string path)
    {
        if (!assets.TryGet(path, out var asset))
        {
            return Results.NotFound();
        }

        policy.Apply(http);
        // Revalidate every time: a new service version must never run with an old script.
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers.ETag = asset.ETag;
        if (http.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }
}

/// <summary><c>/console/config.json</c>: what the page needs to know about this service.</summary>
internal sealed record ConsoleConfigBody(string WebsocketPath, string Version, int SnapshotRefreshSeconds, int LiveTimeoutSeconds, bool Webrtc);

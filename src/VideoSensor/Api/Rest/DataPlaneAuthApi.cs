using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VideoSensor.Media.MediaMtx;

namespace VideoSensor.Api.Rest;

/// <summary>MediaMTX's <c>authHTTPAddress</c> callback. Loopback only: it is a local conversation between two processes.</summary>
internal static class DataPlaneAuthApi
{
    public static void MapDataPlaneAuth(this IEndpointRouteBuilder app) =>
        app.MapPost(MediaMtxConfigWriter.AuthRoute, async (HttpContext context, DataPlaneAuthorizer authorizer, CancellationToken ct) =>
        {
            if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
            {
                return Results.NotFound();
            }

            MediaMtxAuthRequest? request;
            try
            {
                request = await context.Request.ReadFromJsonAsync(MediaMtxJsonContext.Default.MediaMtxAuthRequest, ct).ConfigureAwait(false);
            }
            catch (System.Text.Json.JsonException)
            {
                return Results.BadRequest();
            }

            return request is not null && await authorizer.AuthorizeAsync(request, ct).ConfigureAwait(false)
                ? Results.Ok()
                : Results.StatusCode(StatusCodes.Status401Unauthorized);
        });
}

using VideoSensor.Api.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VideoSensor.Api.JsonRpc;
using VideoSensor.Cameras;
using VideoSensor.Media;
using VideoSensor.Security;

namespace VideoSensor.Api.Rest;

/// <summary>The camera inventory and the sensor's capabilities, as the platform aggregator reads them.</summary>
internal static class CamerasApi
{
    public static void MapCamerasApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").RequireRole(Role.Viewer);
        group.MapGet("/cameras", (CameraRegistry registry, StreamUrls urls) =>
        {
            var cameras = registry.List().Select(c => CameraView.From(c, urls)).ToList();
            return Results.Json(new JsonRpc.Methods.CameraList(cameras, cameras.Count, cameras.Count(c => c.Status == "CONNECTED")), HostJson.Info<JsonRpc.Methods.CameraList>());
        });
        group.MapGet("/cameras/{id}", (string id, CameraRegistry registry, StreamUrls urls) =>
            CameraIds.IsValid(id) && registry.TryGet(id, out var camera)
                ? Results.Json(CameraView.From(camera, urls), HostJson.Info<CameraView>())
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "not found", detail: $"no camera '{(CameraIds.IsValid(id) ? id : "(invalid id)")}'"));
        group.MapGet("/capabilities", (CameraRegistry registry, RpcMethodCatalog catalog, Media.Capacity.CapacityTracker capacity) =>
        {
            var cameras = registry.List();
            return Results.Json(new CapabilitiesBody(
                "videosensor",
                Health.HealthReporter.Version,
                [.. catalog.Methods.Select(m => m.Name).Order(StringComparer.Ordinal)],
                [.. cameras.Select(c => c.Kind.ToString().ToLowerInvariant()).Distinct()],
                [.. cameras.Select(c => new CameraCapabilityView(c.Id, c.Status.ToWire(), [.. c.Capabilities.Formats], [.. c.Capabilities.Resolutions.Select(r => r.ToString())]))],
                ["jpg", "png"],
                capacity.Limit,
                capacity.InUse), HostJson.Info<CapabilitiesBody>());
        });
    }
}

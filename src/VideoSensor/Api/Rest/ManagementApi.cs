using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Cameras.Rtsp;

namespace VideoSensor.Api.Rest;

/// <summary>The REST management plane: config, sources, camera actions, and the OpenAPI document describing them.</summary>
internal static class ManagementApi
{
    public const string OpenApiPath = "/openapi.json";

    public static IServiceCollection AddManagementApi(this IServiceCollection services)
    {
        services.AddSingleton<ManagedSources>();
        services.AddSingleton<Recording.RecordingExport>();
        services.AddHostedService(sp => sp.GetRequiredService<ManagedSources>());
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        services.AddOpenApi(OpenApiContract.Configure);
        return services;
    }

    public static void MapManagementApi(this IEndpointRouteBuilder app)
    {
        app.MapConfigApi();
        app.MapConfigPatchApi();
        app.MapSourcesApi();
        app.MapSourceCredentialsApi();
        app.MapRecordingExportApi();
        app.MapCameraActionsApi();
        app.MapPreviewApi();
        app.MapOpenApi(OpenApiPath);
    }
}

using VideoSensor.Api.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace VideoSensor.Api.Rest;

/// <summary>The REST management plane: config, sources, camera actions, and the OpenAPI document describing them.</summary>
internal static class ManagementApi
{
    public const string OpenApiPath = "/openapi.json";

    public static IServiceCollection AddManagementApi(this IServiceCollection services)
    {
        services.AddSingleton<Recording.RecordingExport>();
        services.ConfigureHttpJsonOptions(o => HostJson.ConfigureHttp(o.SerializerOptions));
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

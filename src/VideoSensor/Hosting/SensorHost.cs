using VideoSensor.Configuration.Live;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VideoSensor.Api.JsonRpc;
using VideoSensor.Api.Rest;
using VideoSensor.Api.WebConsole;
using VideoSensor.Cameras.Usb;
using VideoSensor.Cameras.Usb.Controls;
using VideoSensor.Configuration;
using VideoSensor.Health;
using VideoSensor.Hosting.Telemetry;
using VideoSensor.Telemetry;
using VideoSensor.Media.Capacity;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Platform;
using VideoSensor.Recording;

namespace VideoSensor.Hosting;

/// <summary>Builds the web host from a validated configuration. Tests use this directly with free ports.</summary>
internal static class SensorHost
{
    public static WebApplication Build(LoadedConfig config, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(config.Configuration);

        var server = config.Options.Server;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var address = IPAddress.Parse(server.BindAddress);
            kestrel.Listen(address, server.Port);
            if (server.HealthPort > 0 && server.HealthPort != server.Port)
            {
                kestrel.Listen(address, server.HealthPort);
            }

            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(server.ShutdownTimeoutSeconds));
        SensorLogging.Configure(builder.Logging, config.Options.Logging);

        builder.Services.AddProblemDetails();
        builder.Services.AddVideoSensorCore();
        builder.AddDaprPlatform(config);
        builder.Services.AddControlPlane();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(server.KeepAliveSeconds) });

        app.UseListeningPortRouting(server);

        // Health and downloads answer on both ports; everything else on the service port only (by the port the
        // connection came in on, see ListeningPortRouting).
        var bothPorts = app.MapGroup("").AllowOnHealthPort();
        bothPorts.MapHealthApi();
        bothPorts.MapFilesApi();
        app.MapJsonRpc(server.WebSocketPath);
        app.MapDataPlaneAuth();
        app.MapCamerasApi();
        app.MapManagementApi();
        app.MapConsole();
        app.MapSensorMetrics();
        app.MapDaprPlatform();
        return app;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using VideoSensor.Api.JsonRpc;
using VideoSensor.Api.JsonRpc.Methods;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Discovery;
using VideoSensor.Cameras.Rtsp;
using VideoSensor.Cameras.TestPattern;
using VideoSensor.Hosting.Configuration;
using VideoSensor.Hosting.Health;
using VideoSensor.Hosting.Telemetry;
using VideoSensor.Media;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Platform.Events;
using VideoSensor.Platform.Secrets;
using VideoSensor.Security;
using VideoSensor.Snapshots;
using VideoSensor.Storage;

namespace VideoSensor.Hosting;

/// <summary>The service's parts, one registration method per feature folder.</summary>
internal static class ServiceRegistration
{
    public static IServiceCollection AddSensorOptions(this IServiceCollection services)
    {
        services.BindSection<ServerOptions>(ServerOptions.Section);
        services.BindSection<LoggingOptions>(LoggingOptions.Section);
        services.BindSection<SecurityOptions>(SecurityOptions.Section);
        services.BindSection<CamerasOptions>(CamerasOptions.Section);
        services.BindSection<StorageOptions>(StorageOptions.Section);
        services.BindSection<MediaOptions>(MediaOptions.Section);
        services.BindSection<Recording.RecordingOptions>(Recording.RecordingOptions.Section);
        services.BindSection<SecretsOptions>(SecretsOptions.Section);
        services.BindSection<Platform.Dapr.DaprOptions>(Platform.Dapr.DaprOptions.Section);
        services.BindSection<DiscoveryOptions>(DiscoveryOptions.Section);
        services.BindSection<Media.Capacity.LimitsOptions>(Media.Capacity.LimitsOptions.Section);
        services.BindSection<Api.WebConsole.ConsoleOptions>(Api.WebConsole.ConsoleOptions.Section);
        return services;
    }

    public static IServiceCollection AddPlatform(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EventHub>();
        services.TryAddSingleton<ISecretSource, LocalSecretSource>();
        services.AddSingleton<SecretRedactor>();
        return services;
    }

    public static IServiceCollection AddSecurity(this IServiceCollection services)
    {
        services.AddSingleton<SigningKeyProvider>();
        services.AddHttpClient();
        services.AddSingleton<JwksKeySource>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<AuthenticationGuard>();
        services.AddSingleton<ShortLivedCredentials>();
        return services;
    }

    public static IServiceCollection AddCameras(this IServiceCollection services)
    {
        services.AddSingleton<CameraRegistry>();
        services.AddHostedService<CameraEvents>();
        services.AddHostedService<TestPatternCameras>();
        services.AddSingleton<RtspFeeds>();
        services.AddHostedService(sp => sp.GetRequiredService<RtspFeeds>());
        services.AddSingleton<ExternalStreams>();
        services.AddHostedService(sp => sp.GetRequiredService<ExternalStreams>());
        services.AddSingleton<StreamDiscovery>();
        services.AddHostedService(sp => sp.GetRequiredService<StreamDiscovery>());
        services.AddSingleton<IComponentHealthCheck, CameraHealthCheck>();
        return services;
    }

    public static IServiceCollection AddMedia(this IServiceCollection services)
    {
        services.AddSingleton<StreamUrls>();
        services.AddSingleton<FfmpegRunner>();
        services.AddSingleton<FfmpegInput>();
        services.AddSingleton<MediaProbe>();
        services.AddSingleton<FileProbes>();
        services.AddSingleton<IComponentHealthCheck, FfmpegHealthCheck>();
        return services;
    }

    public static IServiceCollection AddStorageAndSnapshots(this IServiceCollection services)
    {
        services.AddSingleton<FileStore>();
        services.AddSingleton<SnapshotService>();
        services.AddSingleton<PreviewService>();
        services.AddSingleton<FrameInput>();
        services.AddSingleton<IComponentHealthCheck, StorageHealthCheck>();
        services.AddSingleton<IComponentHealthCheck, RecordingCatalogHealthCheck>();
        return services;
    }

    public static IServiceCollection AddControlPlane(this IServiceCollection services)
    {
        services.AddSingleton<SensorMetrics>();
        services.AddSingleton<ProcessSampler>();
        services.AddSingleton<StartupState>();
        services.AddSingleton<HealthReporter>();
        services.AddSingleton<RpcConnections>();
        services.AddSingleton<RpcMethodCatalog>();
        services.AddSingleton<RequestGate>();
        services.AddSingleton<IEventSink, NotificationSink>();
        services.AddSingleton<IComponentHealthCheck, WebSocketHealthCheck>();
        services.AddScoped<RpcSessionAccessor>();
        services.AddScoped<CameraLookup>();
        services.AddRpcMethods<SystemMethods>();
        services.AddRpcMethods<CameraMethods>();
        services.AddRpcMethods<SnapshotMethods>();
        services.AddRpcMethods<EventMethods>();
        services.AddRpcMethods<StatusMethods>();
        services.AddRpcMethods<ExternalStreamMethods>();
        return services;
    }

    /// <summary>Adds a class of JSON-RPC methods: created per connection, listed in the catalog.</summary>
    public static IServiceCollection AddRpcMethods<T>(this IServiceCollection services)
        where T : class, IRpcMethodGroup
    {
        services.AddScoped<T>();
        services.AddSingleton(new RpcMethodGroupRegistration(typeof(T)));
        return services;
    }

    private static void BindSection<T>(this IServiceCollection services, string section)
        where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations();
}

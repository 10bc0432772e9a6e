using Microsoft.Extensions.DependencyInjection.Extensions;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Discovery;
using VideoSensor.Cameras.Rtsp;
using VideoSensor.Cameras.TestPattern;
using VideoSensor.Cameras.Usb;
using VideoSensor.Cameras.Usb.Controls;
using VideoSensor.Configuration;
using VideoSensor.Events;
using VideoSensor.Health;
using VideoSensor.Media;
using VideoSensor.Media.Capacity;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Recording;
using VideoSensor.Secrets;
using VideoSensor.Security;
using VideoSensor.Snapshots;
using VideoSensor.Storage;
using VideoSensor.Telemetry;

namespace VideoSensor;

/// <summary>
/// The core's part of the composition root: every section of the configuration as options, the ports' local
/// implementations, and each feature. A platform adapter (Dapr) and the transports are added by the host after it.
/// </summary>
internal static class CoreServices
{
    public static IServiceCollection AddVideoSensorCore(this IServiceCollection services) => services
        .AddSensorOptions()
        .AddPorts()
        .AddSecurity()
        .AddCameras()
        .AddUsbCameras()
        .AddMedia()
        .AddMediaMtx()
        .AddCapacity()
        .AddCameraControls()
        .AddStorageAndSnapshots()
        .AddRecordingAndRetention()
        .AddRecordingActions()
        .AddSourceCredentials();

    private static IServiceCollection AddSensorOptions(this IServiceCollection services)
    {
        services.BindSection<ServerOptions>(ServerOptions.Section);
        services.BindSection<LoggingOptions>(LoggingOptions.Section);
        services.BindSection<SecurityOptions>(SecurityOptions.Section);
        services.BindSection<CamerasOptions>(CamerasOptions.Section);
        services.BindSection<StorageOptions>(StorageOptions.Section);
        services.BindSection<MediaOptions>(MediaOptions.Section);
        services.BindSection<RecordingOptions>(RecordingOptions.Section);
        services.BindSection<SecretsOptions>(SecretsOptions.Section);
        services.BindSection<DaprOptions>(DaprOptions.Section);
        services.BindSection<DiscoveryOptions>(DiscoveryOptions.Section);
        services.BindSection<LimitsOptions>(LimitsOptions.Section);
        services.BindSection<ConsoleOptions>(ConsoleOptions.Section);
        return services;
    }

    /// <summary>The ports' local implementations and the process-wide parts every feature reports to.</summary>
    private static IServiceCollection AddPorts(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EventHub>();
        services.AddSingleton<SecretRedactor>();
        services.AddSingleton<SensorMetrics>();
        services.AddSingleton<ProcessSampler>();
        services.AddSingleton<StartupState>();
        services.AddSingleton<HealthReporter>();
        return services;
    }

    private static IServiceCollection AddSecurity(this IServiceCollection services)
    {
        services.AddSingleton<SigningKeyProvider>();
        services.AddSingleton<JwksKeySource>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<AuthenticationGuard>();
        services.AddSingleton<ShortLivedCredentials>();
        return services;
    }

    private static IServiceCollection AddCameras(this IServiceCollection services)
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

    private static IServiceCollection AddMedia(this IServiceCollection services)
    {
        services.AddSingleton<StreamUrls>();
        services.AddSingleton<FfmpegRunner>();
        services.AddSingleton<FfmpegInput>();
        services.AddSingleton<MediaProbe>();
        services.AddSingleton<FileProbes>();
        services.AddSingleton<IComponentHealthCheck, FfmpegHealthCheck>();
        return services;
    }

    private static IServiceCollection AddStorageAndSnapshots(this IServiceCollection services)
    {
        services.AddSingleton<FileStore>();
        services.AddSingleton<SnapshotService>();
        services.AddSingleton<TakeSnapshot>();
        services.AddSingleton<PreviewService>();
        services.AddSingleton<FrameInput>();
        services.AddSingleton<IComponentHealthCheck, StorageHealthCheck>();
        return services;
    }

    private static IServiceCollection AddRecordingActions(this IServiceCollection services)
    {
        services.AddSingleton<StartRecording>();
        services.AddSingleton<StopRecording>();
        return services;
    }

    private static void BindSection<T>(this IServiceCollection services, string section)
        where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations();
}

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

    /// <summary>
    /// Each section as options, bound by the generated binder (a call per type: the generator sees only concrete
    /// calls) and checked on first use by the validator generated from its attributes (<see cref="OptionsValidators"/>).
    /// </summary>
    private static IServiceCollection AddSensorOptions(this IServiceCollection services)
    {
        services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.Section).ValidatedBy<ServerOptions, ServerOptionsValidator>();
        services.AddOptions<LoggingOptions>().BindConfiguration(LoggingOptions.Section).ValidatedBy<LoggingOptions, LoggingOptionsValidator>();
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidatedBy<SecurityOptions, SecurityOptionsValidator>();
        services.AddOptions<CamerasOptions>().BindConfiguration(CamerasOptions.Section).ValidatedBy<CamerasOptions, CamerasOptionsValidator>();
        // Here with the other sections, not in the USB feature: compiled through the binding generator's interceptor, a
        // call in Cameras/Usb referenced other sections' options (RecordingOptions), which the layer rules refuse.
        services.AddOptions<UsbOptions>().BindConfiguration(UsbOptions.Section).ValidatedBy<UsbOptions, UsbOptionsValidator>();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidatedBy<StorageOptions, StorageOptionsValidator>();
        services.AddOptions<MediaOptions>().BindConfiguration(MediaOptions.Section).ValidatedBy<MediaOptions, MediaOptionsValidator>();
        services.AddOptions<RecordingOptions>().BindConfiguration(RecordingOptions.Section).ValidatedBy<RecordingOptions, RecordingOptionsValidator>();
        services.AddOptions<SecretsOptions>().BindConfiguration(SecretsOptions.Section); // no rules to check
        services.AddOptions<DaprOptions>().BindConfiguration(DaprOptions.Section).ValidatedBy<DaprOptions, DaprOptionsValidator>();
        services.AddOptions<DiscoveryOptions>().BindConfiguration(DiscoveryOptions.Section).ValidatedBy<DiscoveryOptions, DiscoveryOptionsValidator>();
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidatedBy<LimitsOptions, LimitsOptionsValidator>();
        services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section).ValidatedBy<ConsoleOptions, ConsoleOptionsValidator>();
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
        services.AddSingleton<ManagedSources>();
        services.AddHostedService(sp => sp.GetRequiredService<ManagedSources>());
        services.AddSingleton<SaveSource>();
        services.AddSingleton<RemoveSource>();
        services.AddSingleton<ProbeSources>();
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
        services.AddSingleton<SetRetentionPolicy>();
        services.AddSingleton<StoreUsage>();
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
}

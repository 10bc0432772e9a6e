using System.Diagnostics.CodeAnalysis;
using VideoSensor.Contracts;
using VideoSensor.Configuration.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using VideoSensor.Api.JsonRpc;
using VideoSensor.Api.JsonRpc.Methods;
using VideoSensor.Api.Rest;
using VideoSensor.Api.WebConsole;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Discovery;
using VideoSensor.Cameras.Rtsp;
using VideoSensor.Cameras.TestPattern;
using VideoSensor.Configuration;
using VideoSensor.Health;
using VideoSensor.Hosting.Telemetry;
using VideoSensor.Telemetry;
using VideoSensor.Media;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Events;
using VideoSensor.Secrets;
using VideoSensor.Security;
using VideoSensor.Snapshots;
using VideoSensor.Storage;

namespace VideoSensor.Hosting;

/// <summary>
/// The host's part of the composition root: the JSON-RPC control plane, the REST management plane, the web console,
/// metrics export and lifecycle events, over the core (<see cref="CoreServices"/>) and the platform adapter.
/// </summary>
internal static class ControlPlaneServices
{
    public static IServiceCollection AddControlPlane(this IServiceCollection services)
    {
        services.AddJsonRpc();
        services.AddManagementApi();
        services.AddConsole();
        services.AddSensorTelemetry();
        services.AddHostedService<LifecycleEvents>();
        return services;
    }

    private static IServiceCollection AddJsonRpc(this IServiceCollection services)
    {
        services.AddSingleton<RpcConnections>();
        services.AddSingleton<RpcMethodCatalog>();
        services.AddSingleton<IMethodDirectory>(sp => sp.GetRequiredService<RpcMethodCatalog>());
        services.AddSingleton<IEventSink, NotificationSink>();
        services.AddSingleton<IComponentHealthCheck, WebSocketHealthCheck>();
        services.AddScoped<RpcSessionAccessor>();
        services.AddRpcMethods<SystemMethods>();
        services.AddRpcMethods<CameraMethods>();
        services.AddRpcMethods<SnapshotMethods>();
        services.AddRpcMethods<EventMethods>();
        services.AddRpcMethods<StatusMethods>();
        services.AddRpcMethods<ExternalStreamMethods>();
        services.AddRpcMethods<StreamingMethods>();
        services.AddRpcMethods<RecordingMethods>();
        services.AddRpcMethods<StorageMethods>();
        services.AddRpcMethods<ControlMethods>();
        return services;
    }

    /// <summary>Adds a class of JSON-RPC methods: created per connection, listed in the catalog.</summary>
    public static IServiceCollection AddRpcMethods<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(this IServiceCollection services)
        where T : class, IRpcMethodGroup
    {
        services.AddScoped<T>();
        services.AddSingleton(RpcMethodGroupRegistration.For<T>());
        return services;
    }
}

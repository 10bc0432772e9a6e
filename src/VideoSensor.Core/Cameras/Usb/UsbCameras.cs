using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VideoSensor.Cameras.Usb.V4l2;

namespace VideoSensor.Cameras.Usb;

/// <summary>Registration of USB camera discovery.</summary>
internal static class UsbCameras
{
    public static IServiceCollection AddUsbCameras(this IServiceCollection services)
    {
        services.TryAddSingleton<IV4l2DeviceOpener, LinuxV4l2DeviceOpener>();
        services.AddSingleton<UsbCameraWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<UsbCameraWatcher>());
        return services;
    }
}

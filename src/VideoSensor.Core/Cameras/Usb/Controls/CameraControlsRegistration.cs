using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Configuration.Live;

namespace VideoSensor.Cameras.Usb.Controls;

/// <summary>V4L2 camera controls: device access, persistence, re-apply on connect, and the JSON-RPC methods.</summary>
internal static class CameraControlsRegistration
{
    public static IServiceCollection AddCameraControls(this IServiceCollection services)
    {
        // The device opener is the USB layer's (AddUsbCameras): one real ioctl path for probing and controls.
        services.AddSingleton<ControlSettingsStore>();
        services.AddSingleton<CameraControls>();
        services.AddHostedService(sp => sp.GetRequiredService<CameraControls>());
        return services;
    }
}

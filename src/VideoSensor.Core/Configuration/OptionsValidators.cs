using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Discovery;
using VideoSensor.Cameras.Usb;
using VideoSensor.Media;
using VideoSensor.Media.Capacity;
using VideoSensor.Recording;
using VideoSensor.Security;
using VideoSensor.Storage;

namespace VideoSensor.Configuration;

/// <summary>
/// Validators of each section's own attributes and <c>IValidatableObject</c> rules, written at compile time by the
/// options validation generator (the reflection-based <c>ValidateDataAnnotations</c> is not trim-safe). Like it they
/// check the section's own members, not nested ones: the whole configuration, nested objects and list items included,
/// is checked with key paths before it is used (<see cref="ConfigLoader"/>); this is the guard on every options read.
/// </summary>
internal static class OptionsValidators
{
    /// <summary>Checks the options with <typeparamref name="TValidator"/> when they are first read.</summary>
    public static OptionsBuilder<TOptions> ValidatedBy<TOptions, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(this OptionsBuilder<TOptions> builder)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return builder;
    }
}

[OptionsValidator] internal sealed partial class ServerOptionsValidator : IValidateOptions<ServerOptions>;
[OptionsValidator] internal sealed partial class LoggingOptionsValidator : IValidateOptions<LoggingOptions>;
[OptionsValidator] internal sealed partial class SecurityOptionsValidator : IValidateOptions<SecurityOptions>;
[OptionsValidator] internal sealed partial class CamerasOptionsValidator : IValidateOptions<CamerasOptions>;
[OptionsValidator] internal sealed partial class UsbOptionsValidator : IValidateOptions<UsbOptions>;
[OptionsValidator] internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>;
[OptionsValidator] internal sealed partial class MediaOptionsValidator : IValidateOptions<MediaOptions>;
[OptionsValidator] internal sealed partial class RecordingOptionsValidator : IValidateOptions<RecordingOptions>;
[OptionsValidator] internal sealed partial class DaprOptionsValidator : IValidateOptions<DaprOptions>;
[OptionsValidator] internal sealed partial class DiscoveryOptionsValidator : IValidateOptions<DiscoveryOptions>;
[OptionsValidator] internal sealed partial class LimitsOptionsValidator : IValidateOptions<LimitsOptions>;
[OptionsValidator] internal sealed partial class ConsoleOptionsValidator : IValidateOptions<ConsoleOptions>;

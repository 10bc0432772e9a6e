using System.Collections.Frozen;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Discovery;
using VideoSensor.Cameras.Usb;
using VideoSensor.Media;
using VideoSensor.Media.Capacity;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Recording;
using VideoSensor.Secrets;
using VideoSensor.Security;
using VideoSensor.Storage;

namespace VideoSensor.Configuration;

/// <summary>
/// Every option class the schema check (<see cref="ConfigSchema"/>) and the rule walker (<see cref="OptionsAnnotations"/>)
/// look into, with its properties, the key each is read from and its validation attributes.
/// </summary>
/// <remarks>
/// Listed by hand on purpose: a type reached through <see cref="PropertyInfo.PropertyType"/> tells the trimmer nothing,
/// so under trimming or Native AOT its properties would be gone and every key "unknown". Each entry names its class as
/// a generic argument annotated for public properties, which makes the trimmer keep them. A class missing here fails
/// the first configuration load, naming it (and OptionsShapesTests lists any the options reach but this does not).
/// </remarks>
internal static class OptionsShapes
{
    private static readonly FrozenDictionary<Type, OptionsShape> All = new[]
    {
        OptionsShape.Of<SensorOptions>(),
        OptionsShape.Of<ServerOptions>(),
        OptionsShape.Of<LoggingOptions>(),
        OptionsShape.Of<SecurityOptions>(),
        OptionsShape.Of<ApiKeyOptions>(),
        OptionsShape.Of<SecretReference>(),
        OptionsShape.Of<CamerasOptions>(),
        OptionsShape.Of<TestPatternCameraOptions>(),
        OptionsShape.Of<RtspCameraOptions>(),
        OptionsShape.Of<CameraAudioOptions>(),
        OptionsShape.Of<UsbOptions>(),
        OptionsShape.Of<UsbAudioOptions>(),
        OptionsShape.Of<StorageOptions>(),
        OptionsShape.Of<RetentionOptions>(),
        OptionsShape.Of<RecordingOptions>(),
        OptionsShape.Of<MediaOptions>(),
        OptionsShape.Of<MediaMtxOptions>(),
        OptionsShape.Of<SecretsOptions>(),
        OptionsShape.Of<DaprOptions>(),
        OptionsShape.Of<DiscoveryOptions>(),
        OptionsShape.Of<LimitsOptions>(),
        OptionsShape.Of<ConsoleOptions>(),
    }.ToFrozenDictionary(s => s.Type);

    public static IEnumerable<Type> Types => All.Keys;

    public static OptionsShape Of(Type type) =>
        All.TryGetValue(type, out var shape)
            ? shape
            : throw new InvalidOperationException($"{type.FullName} is not listed in OptionsShapes: add it, or its keys and rules are not checked and do not survive trimming");
}

/// <summary>One option class: its readable public properties in declaration order.</summary>
internal sealed class OptionsShape
{
    private OptionsShape(Type type, IReadOnlyList<OptionsProperty> properties)
    {
        Type = type;
        Properties = properties;
    }

    public Type Type { get; }

    public IReadOnlyList<OptionsProperty> Properties { get; }

    public static OptionsShape Of<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>() =>
        new(typeof(T), [.. typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .Select(p => new OptionsProperty(p, p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? p.Name, [.. p.GetCustomAttributes<ValidationAttribute>(inherit: true)]))]);

    /// <summary>The property a configuration key binds to, compared as the binder does (ignoring case).</summary>
    public OptionsProperty? ForKey(string key) => Properties.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>The property of a C# member name (what validation results name).</summary>
    public OptionsProperty? ForMember(string member) => Properties.FirstOrDefault(p => p.Info.Name == member);
}

/// <summary>A property of an option class, the configuration key it is read from and the rules written on it.</summary>
internal sealed record OptionsProperty(PropertyInfo Info, string Key, IReadOnlyList<ValidationAttribute> Rules);

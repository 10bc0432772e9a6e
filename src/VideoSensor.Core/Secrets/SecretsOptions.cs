using Microsoft.Extensions.Configuration;

namespace VideoSensor.Secrets;

/// <summary>The <c>secrets:</c> section: where the local secret source reads from.</summary>
internal sealed class SecretsOptions
{
    public const string Section = "secrets";

    /// <summary>A YAML file of <c>name: {key: value}</c>; read on every lookup so rotation needs no restart.</summary>
    [ConfigurationKeyName("file")] public string? File { get; set; }

    /// <summary>Environment variables <c>PREFIX&lt;NAME&gt;__&lt;KEY&gt;</c> (upper case, non-alphanumerics as '_') also hold secrets.</summary>
    [ConfigurationKeyName("env_prefix")] public string EnvironmentPrefix { get; set; } = "VIDEOSENSOR_SECRET_";
}

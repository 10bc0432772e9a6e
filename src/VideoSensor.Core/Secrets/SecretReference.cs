using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace VideoSensor.Secrets;

/// <summary>A pointer into a secret store, written <c>{secret: name, key: key}</c> in the config.</summary>
internal sealed class SecretReference
{
    [ConfigurationKeyName("secret"), Required, RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", ErrorMessage = "must be a secret name of letters, digits, '.', '_' or '-'")]
    public string Secret { get; set; } = "";

    [ConfigurationKeyName("key"), Required, RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", ErrorMessage = "must be a key of letters, digits, '.', '_' or '-'")]
    public string Key { get; set; } = "";

    public override string ToString() => $"{Secret}/{Key}";
}

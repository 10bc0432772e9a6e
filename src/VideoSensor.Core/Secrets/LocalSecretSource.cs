using System.Text;
using Microsoft.Extensions.Options;
using VideoSensor.Security;
using YamlDotNet.RepresentationModel;

namespace VideoSensor.Secrets;

/// <summary>Secrets from the environment or a local YAML file, for running without a Dapr sidecar.</summary>
internal sealed class LocalSecretSource(IOptionsMonitor<SecretsOptions> options, SecretRedactor redactor) : ISecretSource
{
    public ValueTask<string?> GetAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        var value = Environment.GetEnvironmentVariable(EnvironmentName(current.EnvironmentPrefix, reference))
            ?? FromFile(current.File, reference);
        if (value is not null)
        {
            redactor.Register(value);
        }

        return ValueTask.FromResult(value);
    }

    internal static string EnvironmentName(string prefix, SecretReference reference) =>
        $"{prefix}{Normalize(reference.Secret)}__{Normalize(reference.Key)}";

    private static string Normalize(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        }

        return sb.ToString();
    }

    private static string? FromFile(string? path, SecretReference reference)
    {
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            return null;
        }

        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            return null;
        }

        return root.Children.TryGetValue(new YamlScalarNode(reference.Secret), out var secret)
            && secret is YamlMappingNode keys
            && keys.Children.TryGetValue(new YamlScalarNode(reference.Key), out var value)
            && value is YamlScalarNode scalar
            ? scalar.Value
            : null;
    }
}

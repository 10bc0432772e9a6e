using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VideoSensor.Secrets;
using VideoSensor.Security;
using VideoSensor.Storage;

namespace VideoSensor.Cameras.Rtsp;

/// <summary>
/// Credentials of RTSP sources entered in the console (once): kept in the state folder in a file only the
/// service's user can read (0600), handed out only as secret references <c>{secret: "videosensor-sources",
/// key: "&lt;id&gt;.username|password"}</c>, and resolved like any other secret. Dapr secret stores are read-only,
/// so a source added at run time needs a store the service can write; a source can still name a secret of the
/// configured store instead.
/// </summary>
internal sealed class SourceCredentials(IOptions<StorageOptions> storage, SecretRedactor redactor)
{
    public const string SecretName = "videosensor-sources";
    public const string FileName = "source-credentials.json";
    private readonly Lock _gate = new();

    private string PathName => Path.Combine(storage.Value.StatePath, FileName);

    /// <summary>Stores what is given (null leaves a value as it was, "" removes it) and returns the references to use.</summary>
    public (SecretReference? Username, SecretReference? Password) Store(string id, string? username, string? password)
    {
        lock (_gate)
        {
            var all = Read();
            Set(all, $"{id}.username", username);
            Set(all, $"{id}.password", password);
            Write(all);
            return (Reference(all, $"{id}.username"), Reference(all, $"{id}.password"));
        }
    }

    public void Remove(string id)
    {
        lock (_gate)
        {
            var all = Read();
            if (all.Remove($"{id}.username") | all.Remove($"{id}.password"))
            {
                Write(all);
            }
        }
    }

    public string? Get(SecretReference reference)
    {
        if (reference.Secret != SecretName)
        {
            return null;
        }

        lock (_gate)
        {
            return Read().GetValueOrDefault(reference.Key);
        }
    }

    private void Set(Dictionary<string, string> all, string key, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length == 0)
        {
            all.Remove(key);
            return;
        }

        redactor.Register(value);
        all[key] = value;
    }

    private static SecretReference? Reference(Dictionary<string, string> all, string key) =>
        all.ContainsKey(key) ? new SecretReference { Secret = SecretName, Key = key } : null;

    private Dictionary<string, string> Read()
    {
        if (!File.Exists(PathName))
        {
            return new(StringComparer.Ordinal);
        }

        var all = JsonSerializer.Deserialize(File.ReadAllText(PathName), SourceCredentialsJson.Default.DictionaryStringString) ?? [];
        foreach (var value in all.Values)
        {
            redactor.Register(value);
        }

        return new(all, StringComparer.Ordinal);
    }

    private void Write(Dictionary<string, string> all)
    {
        Directory.CreateDirectory(storage.Value.StatePath);
        var temp = $"{PathName}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, all, SourceCredentialsJson.Default.DictionaryStringString);
        }

        File.Move(temp, PathName, overwrite: true);
    }
}

/// <summary>The credentials file's JSON (one object of strings, compact), generated at compile time.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class SourceCredentialsJson : JsonSerializerContext;

/// <summary>Resolves the console's source credentials first, every other reference through the configured store.</summary>
internal sealed class SourceCredentialSecretSource(ISecretSource inner, SourceCredentials credentials) : ISecretSource
{
    /// <summary>The store the platform chose (local or Dapr), asked for every reference but the console's own.</summary>
    public ISecretSource Inner => inner;

    public ValueTask<string?> GetAsync(SecretReference reference, CancellationToken cancellationToken) =>
        reference.Secret == SourceCredentials.SecretName
            ? ValueTask.FromResult(credentials.Get(reference))
            : inner.GetAsync(reference, cancellationToken);

    public ValueTask<string?> GetCurrentAsync(SecretReference reference, CancellationToken cancellationToken) =>
        reference.Secret == SourceCredentials.SecretName
            ? ValueTask.FromResult(credentials.Get(reference))
            : inner.GetCurrentAsync(reference, cancellationToken);
}

internal static class SourceCredentialsRegistration
{
    /// <summary>
    /// Console-entered credentials first, then the store the platform registered under
    /// <see cref="PlatformSecretSource.Key"/> (the local file and environment when no platform did).
    /// </summary>
    public static IServiceCollection AddSourceCredentials(this IServiceCollection services)
    {
        services.TryAddSingleton<SourceCredentials>();
        services.TryAddKeyedSingleton<ISecretSource>(PlatformSecretSource.Key, (sp, _) => ActivatorUtilities.CreateInstance<LocalSecretSource>(sp));
        services.AddSingleton<ISecretSource>(sp => new SourceCredentialSecretSource(
            sp.GetRequiredKeyedService<ISecretSource>(PlatformSecretSource.Key),
            sp.GetRequiredService<SourceCredentials>()));
        return services;
    }
}

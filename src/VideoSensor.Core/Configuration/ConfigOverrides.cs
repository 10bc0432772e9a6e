using System.Text.Json;
using Microsoft.Extensions.Configuration;
using VideoSensor.Storage;

namespace VideoSensor.Configuration;

/// <summary>
/// Configuration changes made over the management API, kept in <c>state/config-overrides.json</c> as
/// flattened keys (<c>cameras:rtsp_probe_interval_seconds</c>) so they survive restarts, in the state folder's
/// generated JSON (<see cref="StateFileJson"/>).
/// </summary>
internal static class ConfigOverrides
{
    public const string FileName = "config-overrides.json";

    public static string PathIn(string stateDirectory) => System.IO.Path.Combine(stateDirectory, FileName);

    /// <summary>The saved overrides for the storage root this configuration names, or none.</summary>
    public static Dictionary<string, string?>? Read(IConfiguration configuration)
    {
        var storage = configuration.GetSection("storage").Get<Storage.StorageOptions>() ?? new Storage.StorageOptions();
        return Read(storage.StatePath);
    }

    public static Dictionary<string, string?>? Read(string stateDirectory)
    {
        var path = PathIn(stateDirectory);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), StateFileJson.Default.ConfigOverrides);
        }
        catch (JsonException ex)
        {
            throw new ConfigException($"{path}: not a valid overrides file ({ex.Message}); fix or delete it");
        }
    }

    public static void Write(string stateDirectory, IReadOnlyDictionary<string, string?> values)
    {
        Directory.CreateDirectory(stateDirectory);
        var path = PathIn(stateDirectory);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(values as Dictionary<string, string?> ?? new(values), StateFileJson.Default.ConfigOverrides));
        File.Move(temp, path, overwrite: true);
    }
}

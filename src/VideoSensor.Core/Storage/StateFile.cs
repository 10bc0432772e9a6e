using System.Text.Json;

namespace VideoSensor.Storage;

/// <summary>
/// A small JSON document the service keeps across restarts (policies, settings, inventories), written
/// atomically (temp file + rename) so a crash never leaves half a file.
/// </summary>
internal sealed class StateFile<T>(string path)
    where T : class
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly Lock _gate = new();

    public string Path { get; } = path;

    public T? Read()
    {
        lock (_gate)
        {
            if (!File.Exists(Path))
            {
                return null;
            }

            try
            {
                return JsonSerializer.Deserialize<T>(File.ReadAllText(Path), Json);
            }
            catch (JsonException)
            {
                // A damaged file is set aside, not trusted and not lost.
                File.Move(Path, $"{Path}.corrupt-{Guid.NewGuid():N}");
                return null;
            }
        }
    }

    public void Write(T value)
    {
        lock (_gate)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var temp = $"{Path}.tmp";
            File.WriteAllText(temp, JsonSerializer.Serialize(value, Json));
            File.Move(temp, Path, overwrite: true);
        }
    }

    /// <summary>Removes the document (nothing to do when there is none).</summary>
    public void Delete()
    {
        lock (_gate)
        {
            File.Delete(Path);
        }
    }
}

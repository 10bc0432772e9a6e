using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace VideoSensor.Storage;

/// <summary>
/// A small JSON document the service keeps across restarts (policies, settings, inventories), written
/// atomically (temp file + rename) so a crash never leaves half a file. Its JSON is the generated one of
/// <see cref="StateFileJson"/>, where every document type is listed.
/// </summary>
internal sealed class StateFile<T>(string path)
    where T : class
{
    private readonly JsonTypeInfo<T> _json = StateFileJson.Default.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
        ?? throw new InvalidOperationException($"{typeof(T)} is not a state document: add it to {nameof(StateFileJson)}");

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
                return JsonSerializer.Deserialize(File.ReadAllText(Path), _json);
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
            File.WriteAllText(temp, JsonSerializer.Serialize(value, _json));
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

using Microsoft.Extensions.Options;
using VideoSensor.Cameras;

namespace VideoSensor.Storage;

/// <summary>
/// Recordings and snapshots on disk: <c>&lt;root&gt;/&lt;kind&gt;/&lt;camera id&gt;/&lt;file name&gt;</c>.
/// File names are unique across cameras, so clients name a file by its name alone; the folder says
/// which camera it came from. Only names that pass <see cref="FileNames.IsSafe"/> are ever joined to a path.
/// </summary>
internal sealed class FileStore(IOptions<StorageOptions> options, TimeProvider time)
{
    /// <summary>Suffix of files still being written; never listed.</summary>
    public const string PartialSuffix = ".partial";
    private int _sequence;

    public string FolderOf(FileKind kind) => kind == FileKind.Recording ? options.Value.RecordingsPath : options.Value.SnapshotsPath;

    /// <summary>Chooses a new unique name (custom or generated) and returns the final path; creates the camera folder.</summary>
    public (string FileName, string FullPath) Allocate(FileKind kind, string device, string extension, string? requestedName)
    {
        if (!CameraIds.IsValid(device))
        {
            throw new ArgumentException("invalid camera id", nameof(device));
        }

        var folder = Path.Combine(FolderOf(kind), device);
        Directory.CreateDirectory(folder);
        for (var attempt = 0; ; attempt++)
        {
            var sequence = Interlocked.Increment(ref _sequence);
            string name;
            if (requestedName is not null)
            {
                name = attempt == 0 ? requestedName : $"{Path.GetFileNameWithoutExtension(requestedName)}_{attempt}.{extension}";
            }
            else
            {
                name = FileNames.Generate(device, time.GetUtcNow(), sequence, extension);
            }

            if (!Exists(kind, name))
            {
                return (name, Path.Combine(folder, name));
            }
        }
    }

    /// <summary>
    /// Chooses a unique stem (camera id + UTC time + sequence) for a recording whose segments are named
    /// <c>stem_NNNN.ext</c>, and returns it with the camera's folder (created).
    /// </summary>
    public (string Stem, string Folder) AllocateStem(FileKind kind, string device)
    {
        if (!CameraIds.IsValid(device))
        {
            throw new ArgumentException("invalid camera id", nameof(device));
        }

        var folder = Path.Combine(FolderOf(kind), device);
        Directory.CreateDirectory(folder);
        while (true)
        {
            var stem = FileNames.Stem(device, time.GetUtcNow(), Interlocked.Increment(ref _sequence));
            if (!Directory.EnumerateFiles(folder, stem + "_*").Any())
            {
                return (stem, folder);
            }
        }
    }

    public bool Exists(FileKind kind, string fileName) => TryFind(kind, fileName, out _);

    /// <summary>Finds a stored file by its plain name. Unsafe names are never looked up.</summary>
    public bool TryFind(FileKind kind, string fileName, out StoredFile file)
    {
        file = null!;
        if (!FileNames.IsSafe(fileName))
        {
            return false;
        }

        var root = FolderOf(kind);
        if (!Directory.Exists(root))
        {
            return false;
        }

        foreach (var folder in Directory.EnumerateDirectories(root))
        {
            var path = Path.Combine(folder, fileName);
            if (File.Exists(path))
            {
                file = Describe(kind, new FileInfo(path));
                return true;
            }
        }

        return false;
    }

    /// <summary>Every finished file of a kind, newest first, optionally for one camera.</summary>
    public IReadOnlyList<StoredFile> List(FileKind kind, string? device = null)
    {
        var root = FolderOf(kind);
        if (!Directory.Exists(root))
        {
            return [];
        }

        var folders = device is null
            ? Directory.EnumerateDirectories(root)
            : CameraIds.IsValid(device) ? [Path.Combine(root, device)] : [];
        var files = new List<StoredFile>();
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var info in new DirectoryInfo(folder).EnumerateFiles())
            {
                if (FileNames.IsSafe(info.Name) && !info.Name.EndsWith(PartialSuffix, StringComparison.Ordinal))
                {
                    files.Add(Describe(kind, info));
                }
            }
        }

        return [.. files.OrderByDescending(f => f.ModifiedTime).ThenBy(f => f.FileName, StringComparer.Ordinal)];
    }

    public bool Delete(FileKind kind, string fileName)
    {
        if (!TryFind(kind, fileName, out var file))
        {
            return false;
        }

        File.Delete(file.FullPath);
        return true;
    }

    private static StoredFile Describe(FileKind kind, FileInfo info) => new(
        kind,
        info.Directory!.Name,
        info.Name,
        info.FullName,
        info.Length,
        new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero),
        new DateTimeOffset(info.CreationTimeUtc, TimeSpan.Zero));
}

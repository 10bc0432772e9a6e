using Microsoft.Extensions.Options;
using VideoSensor.Cameras;

namespace VideoSensor.Storage;

/// <summary>
/// Recordings and snapshots on disk: <c>&lt;root&gt;/&lt;kind&gt;/&lt;camera id&gt;/&lt;file name&gt;</c>.
/// File names are unique across cameras, so clients name a file by its name alone; the folder says
/// which camera it came from. Only names that pass <see cref="FileNames.IsSafe"/> are ever joined to a path,
/// and the store never follows a symbolic link: a linked camera folder or file is neither listed, served,
/// deleted nor counted, so nothing outside the store root can be reached through it.
/// </summary>
internal sealed class FileStore(IOptions<StorageOptions> options, TimeProvider time)
{
    /// <summary>Suffix of files still being written; never listed, served, described or deleted through the API.</summary>
    public const string PartialSuffix = ".partial";

    /// <summary>Enumeration that skips symbolic links (and hidden files) and never fails on an unreadable entry.</summary>
    public static readonly EnumerationOptions NoLinks = new()
    {
        AttributesToSkip = FileAttributes.ReparsePoint | FileAttributes.Hidden | FileAttributes.System,
        IgnoreInaccessible = true,
    };

    // Reservation of snapshot names: the check "no camera folder has it" and the exclusive create of its
    // .partial happen under one lock, so two writers in this service never pick the same name.
    private readonly Lock _reserve = new();
    private int _sequence;

    public string FolderOf(FileKind kind) => kind == FileKind.Recording ? options.Value.RecordingsPath : options.Value.SnapshotsPath;

    /// <summary>
    /// Reserves a new unique name (the requested one, then <c>name_1</c>, <c>name_2</c> … when taken; or a generated one)
    /// by creating its <c>.partial</c> exclusively (<see cref="FileMode.CreateNew"/>). The caller writes the partial
    /// file and renames it to <paramref name="requestedName"/>'s final path with <see cref="Publish"/>, or deletes it.
    /// </summary>
    public Reservation Reserve(FileKind kind, string device, string extension, string? requestedName)
    {
        var folder = CameraFolder(kind, device);
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            var name = requestedName is null
                ? FileNames.Generate(device, time.GetUtcNow(), Interlocked.Increment(ref _sequence), extension)
                : attempt == 0 ? requestedName : $"{Path.GetFileNameWithoutExtension(requestedName)}_{attempt}{Path.GetExtension(requestedName)}";
            var path = Path.Combine(folder, name);
            lock (_reserve)
            {
                if (Exists(kind, name) || PartialExistsAnywhere(kind, name))
                {
                    continue;
                }

                try
                {
                    using (new FileStream(path + PartialSuffix, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
                    {
                    }
                }
                catch (IOException) when (File.Exists(path + PartialSuffix) || Directory.Exists(path + PartialSuffix))
                {
                    continue; // someone outside this service took it between the check and the create
                }

                return new Reservation(name, path, path + PartialSuffix);
            }
        }

        throw new IOException($"no free name for '{requestedName}'");
    }

    private long _generation;

    /// <summary>
    /// Counts changes to stored files made by the service (published, deleted), so a reader that caches what the store
    /// holds (<see cref="StoreUsage"/>) knows when to look again.
    /// </summary>
    public long Generation => Interlocked.Read(ref _generation);

    public void NoteChange() => Interlocked.Increment(ref _generation);

    /// <summary>Makes a reserved file final: renames its partial to the reserved name, never over another file.</summary>
    public void Publish(Reservation reservation)
    {
        File.Move(reservation.PartialPath, reservation.FullPath, overwrite: false);
        NoteChange();
    }

    /// <summary>
    /// Chooses a unique stem (camera id + UTC time + sequence) for a recording whose segments are named
    /// <c>stem_NNNN.ext</c>, and returns it with the camera's folder (created).
    /// </summary>
    public (string Stem, string Folder) AllocateStem(FileKind kind, string device)
    {
        var folder = CameraFolder(kind, device);
        while (true)
        {
            var stem = FileNames.Stem(device, time.GetUtcNow(), Interlocked.Increment(ref _sequence));
            if (!Directory.EnumerateFileSystemEntries(folder, stem + "_*").Any())
            {
                return (stem, folder);
            }
        }
    }

    /// <summary>Proves a folder takes new files by creating and removing one (a read-only or full disk fails here, not later).</summary>
    public static void EnsureWritable(string folder)
    {
        var probe = Path.Combine(folder, $".write-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
        using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
        {
        }
    }

    public bool Exists(FileKind kind, string fileName) => TryFind(kind, fileName, out _);

    /// <summary>Finds a finished stored file by its plain name. Unsafe names, partial files and links are never found.</summary>
    public bool TryFind(FileKind kind, string fileName, out StoredFile file)
    {
        file = null!;
        if (!IsPublicName(fileName))
        {
            return false;
        }

        foreach (var folder in CameraFolders(kind))
        {
            var info = new FileInfo(Path.Combine(folder.FullName, fileName));
            if (IsPlainFile(info))
            {
                file = Describe(kind, info);
                return true;
            }
        }

        return false;
    }

    /// <summary>Every finished file of a kind, newest first, optionally for one camera.</summary>
    public IReadOnlyList<StoredFile> List(FileKind kind, string? device = null)
    {
        var files = new List<StoredFile>();
        foreach (var folder in CameraFolders(kind))
        {
            if (device is not null && !string.Equals(folder.Name, device, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var info in folder.EnumerateFiles("*", NoLinks))
            {
                if (IsPublicName(info.Name) && IsPlainFile(info))
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
        NoteChange();
        return true;
    }

    /// <summary>The camera folders of a kind that are real folders (not links) with a valid camera id as name.</summary>
    public IEnumerable<DirectoryInfo> CameraFolders(FileKind kind)
    {
        var root = new DirectoryInfo(FolderOf(kind));
        if (!root.Exists)
        {
            return [];
        }

        return root.EnumerateDirectories("*", NoLinks).Where(d => d.LinkTarget is null && CameraIds.IsValid(d.Name));
    }

    /// <summary>A name the API may show: safe, and not a file being written.</summary>
    public static bool IsPublicName(string fileName) =>
        FileNames.IsSafe(fileName) && !fileName.EndsWith(PartialSuffix, StringComparison.Ordinal);

    /// <summary>True for a regular file that is not a symbolic link.</summary>
    private static bool IsPlainFile(FileInfo info) =>
        info.Exists && info.LinkTarget is null && (info.Attributes & FileAttributes.ReparsePoint) == 0;

    private bool PartialExistsAnywhere(FileKind kind, string fileName) =>
        CameraFolders(kind).Any(folder => File.Exists(Path.Combine(folder.FullName, fileName + PartialSuffix)));

    private string CameraFolder(FileKind kind, string device)
    {
        if (!CameraIds.IsValid(device))
        {
            throw new ArgumentException("invalid camera id", nameof(device));
        }

        var folder = new DirectoryInfo(Path.Combine(FolderOf(kind), device));
        if (folder.LinkTarget is not null)
        {
            throw new IOException($"the {kind.ToString().ToLowerInvariant()} folder of '{device}' is a symbolic link; the store does not follow links");
        }

        folder.Create();
        return folder.FullName;
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

/// <summary>A name reserved by <see cref="FileStore.Reserve"/>: write <see cref="PartialPath"/>, then publish or delete it.</summary>
internal sealed record Reservation(string FileName, string FullPath, string PartialPath);

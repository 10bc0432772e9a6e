using Microsoft.Extensions.Options;

namespace VideoSensor.Storage;

/// <summary>How full the storage file system is, against the configured thresholds.</summary>
internal enum SpaceLevel
{
    Ok,
    Low,
    Blocked,
}

/// <summary>One measurement of the file system under the storage root (statvfs through <see cref="DriveInfo"/>).</summary>
internal sealed record SpaceReading(long TotalBytes, long AvailableBytes, SpaceLevel Level)
{
    public long UsedBytes => TotalBytes - AvailableBytes;
    public double FreePercent => TotalBytes > 0 ? 100.0 * AvailableBytes / TotalBytes : 0;
    public double UsedPercent => TotalBytes > 0 ? 100.0 * UsedBytes / TotalBytes : 0;
}

/// <summary>Measures free space where files are stored and says whether recording may start.</summary>
internal sealed class StorageSpace(IOptions<StorageOptions> options)
{
    public SpaceReading Read()
    {
        var root = options.Value.RootPath;
        Directory.CreateDirectory(root);
        var drive = new DriveInfo(root);
        var total = drive.TotalSize;
        var available = drive.AvailableFreeSpace;
        var free = total > 0 ? 100.0 * available / total : 0;
        var level = free < options.Value.BlockSpacePercent ? SpaceLevel.Blocked
            : free < options.Value.LowSpacePercent ? SpaceLevel.Low
            : SpaceLevel.Ok;
        return new SpaceReading(total, available, level);
    }

    /// <summary>Throws -32050 (dependency "storage") when there is too little room to start a recording.</summary>
    public void EnsureRoomToRecord()
    {
        var reading = Read();
        if (reading.Level == SpaceLevel.Blocked)
        {
            throw new Errors.DependencyException("storage",
                $"only {reading.FreePercent:0.##}% free, below the {options.Value.BlockSpacePercent:0.##}% needed to record",
                "free space: delete recordings, call cleanup_old_files, or set a retention policy");
        }
    }

    /// <summary>Bytes used by one kind of stored file (partial files included: they take room too).</summary>
    public static long FolderSize(string folder) => FolderStats(folder).Bytes;

    /// <summary>How many files a folder tree holds and their bytes.</summary>
    public static (int Files, long Bytes) FolderStats(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return (0, 0);
        }

        var files = 0;
        long bytes = 0;
        // Links are not followed: a link planted in the store must not make it count (or reach) files elsewhere.
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", options))
        {
            try
            {
                bytes += file.Length;
                files++;
            }
            catch (IOException)
            {
                // Renamed or deleted while the folder was walked (a segment finishing, retention): not there to count.
            }
        }

        return (files, bytes);
    }
}

namespace VideoSensor.Storage;

/// <summary>A file in the store, as found on disk.</summary>
internal sealed record StoredFile(FileKind Kind, string Device, string FileName, string FullPath, long Size, DateTimeOffset ModifiedTime, DateTimeOffset CreatedTime)
{
    public string DownloadUrl => $"/files/{(Kind == FileKind.Recording ? "recordings" : "snapshots")}/{Uri.EscapeDataString(FileName)}";
}

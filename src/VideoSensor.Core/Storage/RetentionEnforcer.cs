using Microsoft.Extensions.Logging;

namespace VideoSensor.Storage;

/// <summary>What one retention pass did.</summary>
internal sealed record CleanupResult(bool Executed, int FilesDeleted, long SpaceFreed, string Message);

/// <summary>
/// Applies the retention policy to stored recordings and snapshots, oldest first. Files being written are
/// <c>.partial</c> and never part of a listing, so they are never deleted; finished segments of a running
/// recording are <see cref="HeldFiles">held</see> until it ends (they still count towards a size limit, so other
/// files go first).
/// </summary>
internal sealed partial class RetentionEnforcer(FileStore store, RetentionStore policies, HeldFiles held, TimeProvider time, ILogger<RetentionEnforcer> logger)
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async Task<CleanupResult> RunAsync(CancellationToken cancellationToken)
    {
        var policy = policies.Current;
        if (!policy.DeletesAnything)
        {
            return new CleanupResult(false, 0, 0, policy.Enabled
                ? "the retention policy is manual: nothing is deleted automatically"
                : $"the {policy.PolicyType} retention policy is disabled: nothing deleted");
        }

        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var oldestFirst = store.List(FileKind.Recording).Concat(store.List(FileKind.Snapshot))
                .OrderBy(f => f.ModifiedTime).ThenBy(f => f.FileName, StringComparer.Ordinal).ToList();
            var victims = policy.PolicyType == RetentionPolicy.Age ? ByAge(oldestFirst, policy) : BySize(oldestFirst, policy);
            var deleted = 0;
            var kept = 0;
            long freed = 0;
            foreach (var file in victims)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (held.IsHeld(file.FileName))
                {
                    kept++;
                    continue;
                }

                try
                {
                    File.Delete(file.FullPath);
                    store.NoteChange();
                    deleted++;
                    freed += file.Size;
                    LogDeleted(logger, file.FileName, policy.PolicyType);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    LogDeleteFailed(logger, file.FileName, ex.Message);
                }
            }

            var message = deleted == 0
                ? $"nothing to delete under the {policy.PolicyType} policy"
                : $"deleted {deleted} files ({freed} bytes) under the {policy.PolicyType} policy";
            return new CleanupResult(true, deleted, freed, kept == 0 ? message : $"{message}; kept {kept} segments of running recordings until they stop");
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private IEnumerable<StoredFile> ByAge(List<StoredFile> oldestFirst, RetentionPolicy policy)
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(policy.MaxAgeDays);
        return oldestFirst.TakeWhile(f => f.ModifiedTime < cutoff);
    }

    private static IEnumerable<StoredFile> BySize(List<StoredFile> oldestFirst, RetentionPolicy policy)
    {
        var limit = (long)(policy.MaxSizeGb * 1024 * 1024 * 1024);
        var total = oldestFirst.Sum(f => f.Size);
        foreach (var file in oldestFirst)
        {
            if (total <= limit)
            {
                yield break;
            }

            total -= file.Size;
            yield return file;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention ({Policy}) deleted {File}")]
    private static partial void LogDeleted(ILogger logger, string file, string policy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention could not delete {File}: {Reason}")]
    private static partial void LogDeleteFailed(ILogger logger, string file, string reason);
}

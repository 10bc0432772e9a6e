using VideoSensor.Requests;
using VideoSensor.Contracts;
using Microsoft.Extensions.Options;
using VideoSensor.Storage;
using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc.Methods;

/// <summary>Storage space, retention policy and cleanup (admin).</summary>
internal sealed partial class StorageMethods(StorageSpace space, RetentionStore policies, SetRetentionPolicy setRetentionPolicy, RetentionEnforcer retention, IOptions<StorageOptions> options) : IRpcMethodGroup
{
    [RpcErrors(RpcErrorCodes.DependencyFailed)]
    [RpcMethod("get_storage_info", Role.Admin, "Space on the storage file system and used by recordings and snapshots.", Result = "{total_space, used_space, available_space, usage_percentage, recordings_size, snapshots_size, low_space_warning}")]
    public StorageInfo GetStorageInfo()
    {
        var reading = space.Read();
        var policy = policies.Current;
        return new StorageInfo(
            reading.TotalBytes,
            reading.UsedBytes,
            reading.AvailableBytes,
            Math.Round(reading.UsedPercent, 2),
            StorageSpace.FolderSize(options.Value.RecordingsPath),
            StorageSpace.FolderSize(options.Value.SnapshotsPath),
            reading.Level != SpaceLevel.Ok,
            reading.Level == SpaceLevel.Blocked,
            options.Value.LowSpacePercent,
            options.Value.BlockSpacePercent,
            new RetentionResult(policy.PolicyType, policy.MaxAgeDays, policy.MaxSizeGb, policy.Enabled, null));
    }

    [RpcErrors(RpcErrorCodes.DependencyFailed)]
    [RpcMethod("set_retention_policy", Storage.SetRetentionPolicy.Access, "Sets (and persists) what is deleted automatically: by age, by total size, or nothing.", Result = "{policy_type, max_age_days, max_size_gb, enabled, message}")]
    public RetentionResult SetRetentionPolicy(SetRetentionPolicyRequest request)
    {
        var (policy, message) = setRetentionPolicy.Execute(request);
        return new RetentionResult(policy.PolicyType, policy.MaxAgeDays, policy.MaxSizeGb, policy.Enabled, message);
    }

    [RpcErrors(RpcErrorCodes.DependencyFailed)]
    [RpcMethod("cleanup_old_files", Role.Admin, "Applies the retention policy now.", Result = "{cleanup_executed, files_deleted, space_freed, message}")]
    public async Task<CleanupReply> CleanupOldFilesAsync(CancellationToken cancellationToken)
    {
        var result = await retention.RunAsync(cancellationToken).ConfigureAwait(false);
        return new CleanupReply(result.Executed, result.FilesDeleted, result.SpaceFreed, result.Message);
    }
}

internal sealed record StorageInfo(long TotalSpace, long UsedSpace, long AvailableSpace, double UsagePercentage, long RecordingsSize, long SnapshotsSize,
    bool LowSpaceWarning, bool RecordingBlocked, double LowSpacePercent, double BlockSpacePercent, RetentionResult RetentionPolicy);

internal sealed record RetentionResult(string PolicyType, double MaxAgeDays, double MaxSizeGb, bool Enabled, string? Message);

internal sealed record CleanupReply(bool CleanupExecuted, int FilesDeleted, long SpaceFreed, string Message);

using VideoSensor.Contracts;
using VideoSensor.Errors;
using VideoSensor.Security;

namespace VideoSensor.Storage;

/// <summary>
/// Set what is deleted automatically, stored across restarts until the configuration's policy changes (see
/// <see cref="RuntimeOverride{T}"/>): the single implementation behind JSON-RPC <c>set_retention_policy</c>.
/// Fields left out keep their current value.
/// </summary>
internal sealed class SetRetentionPolicy(RetentionStore policies)
{
    public const Role Access = Role.Admin;

    public RetentionPolicySet Execute(SetRetentionPolicyRequest request)
    {
        request.Validate();
        var current = policies.Current;
        var policy = new RetentionPolicy(request.PolicyType, request.Enabled, request.MaxAgeDays ?? current.MaxAgeDays, request.MaxSizeGb ?? current.MaxSizeGb);
        policies.Save(policy);
        return new RetentionPolicySet(policy, Describe(policy));
    }

    private static string Describe(RetentionPolicy policy) => policy.PolicyType switch
    {
        RetentionPolicy.Age when policy.Enabled => $"files older than {policy.MaxAgeDays} days are deleted, oldest first",
        RetentionPolicy.Size when policy.Enabled => $"the oldest files are deleted while recordings and snapshots exceed {policy.MaxSizeGb} GiB",
        RetentionPolicy.Manual => "nothing is deleted automatically",
        _ => $"the {policy.PolicyType} policy is stored but disabled",
    };
}

/// <summary><c>{policy_type, enabled, max_age_days?, max_size_gb?}</c>.</summary>
internal sealed class SetRetentionPolicyRequest : IValidatedRequest
{
    public required string PolicyType { get; init; }
    public required bool Enabled { get; init; }
    public double? MaxAgeDays { get; init; }
    public double? MaxSizeGb { get; init; }

    public void Validate()
    {
        if (!RetentionPolicy.Types.Contains(PolicyType))
        {
            var allowed = string.Join(", ", RetentionPolicy.Types);
            throw new InvalidParameterException("policy_type", $"one of {allowed}", $"'policy_type' must be one of {allowed}");
        }
        if (MaxAgeDays is { } age && (double.IsNaN(age) || age <= 0 || age > 36_500))
        {
            throw new InvalidParameterException("max_age_days", "a number of days above 0 and at most 36500", "'max_age_days' must be above 0");
        }

        if (MaxSizeGb is { } size && (double.IsNaN(size) || size <= 0 || size > 1_000_000))
        {
            throw new InvalidParameterException("max_size_gb", "a number of GiB above 0 and at most 1000000", "'max_size_gb' must be above 0");
        }
    }
}

/// <summary>The policy now in force and, in words, what it deletes.</summary>
internal sealed record RetentionPolicySet(RetentionPolicy Policy, string Message);

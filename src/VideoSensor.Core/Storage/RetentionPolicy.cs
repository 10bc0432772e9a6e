namespace VideoSensor.Storage;

/// <summary>
/// What may be deleted automatically: <c>age</c> (files older than <see cref="MaxAgeDays"/>), <c>size</c>
/// (oldest files until recordings and snapshots fit in <see cref="MaxSizeGb"/>), or <c>manual</c> (nothing).
/// </summary>
internal sealed record RetentionPolicy(string PolicyType, bool Enabled, double MaxAgeDays, double MaxSizeGb)
{
    public const string Age = "age";
    public const string Size = "size";
    public const string Manual = "manual";

    public static IReadOnlyList<string> Types { get; } = [Age, Size, Manual];

    public bool DeletesAnything => Enabled && PolicyType is Age or Size;

    public static RetentionPolicy From(RetentionOptions options) => new(options.PolicyType, options.Enabled, options.MaxAgeDays, options.MaxSizeGb);
}

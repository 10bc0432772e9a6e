using System.ComponentModel.DataAnnotations;

namespace VideoSensor.Configuration;

/// <summary>
/// A regular-expression rule whose message shows the pattern as written. A pattern in a plain
/// <c>ErrorMessage</c> goes through string.Format, which reads <c>{0,63}</c> as "argument 0, padded to 63"
/// and prints the field name in its place.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
internal sealed class MatchesAttribute(string pattern) : RegularExpressionAttribute(pattern)
{
    public override string FormatErrorMessage(string name) => $"must match {Pattern}";
}

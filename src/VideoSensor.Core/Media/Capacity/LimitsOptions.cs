using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace VideoSensor.Media.Capacity;

/// <summary>The <c>limits:</c> section: how much work the box takes on at once.</summary>
internal sealed class LimitsOptions
{
    public const string Section = "limits";

    /// <summary>
    /// Concurrent active pipelines (camera streams and recordings) the hardware sustains. Read live:
    /// lowering it refuses new work and leaves running work alone.
    /// </summary>
    [ConfigurationKeyName("max_streams"), Range(1, 256)] public int MaxStreams { get; set; } = 8;
}

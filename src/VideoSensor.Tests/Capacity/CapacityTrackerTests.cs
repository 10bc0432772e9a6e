using Microsoft.Extensions.Options;
using VideoSensor.Errors;
using VideoSensor.Media.Capacity;

namespace VideoSensor.Tests.Capacity;

/// <summary>The slot count: one slot per camera with active work, however many purposes hold it.</summary>
public sealed class CapacityTrackerTests
{
    private sealed class Limits(int max) : IOptionsMonitor<LimitsOptions>
    {
        public LimitsOptions CurrentValue { get; } = new() { MaxStreams = max };
        public LimitsOptions Get(string? name) => CurrentValue;
        public IDisposable? OnChange(Action<LimitsOptions, string?> listener) => null;
    }

    [Fact]
    public void Streaming_and_recording_one_camera_takes_one_slot()
    {
        var tracker = new CapacityTracker(new Limits(2), TimeProvider.System);

        tracker.Acquire("cam0", CapacityPurpose.Stream);
        tracker.Acquire("cam0", CapacityPurpose.Recording);
        tracker.Acquire("cam1", CapacityPurpose.Recording);
        var full = Assert.Throws<DependencyException>(() => tracker.Acquire("cam2", CapacityPurpose.Stream));
        tracker.Acquire("cam1", CapacityPurpose.Stream);
        tracker.Release("cam0", CapacityPurpose.Stream);
        var stillHeld = tracker.InUse;
        tracker.Release("cam0", CapacityPurpose.Recording);
        tracker.Acquire("cam2", CapacityPurpose.Stream);

        Assert.Equal(2, full.Extra!["in_use"]);
        Assert.Equal(3, ((System.Collections.ICollection)full.Extra["holders"]!).Count);
        Assert.Equal(2, stillHeld);
        Assert.Equal(["cam1", "cam1", "cam2"], tracker.Holders().Select(h => h.Device).Order(StringComparer.Ordinal));
        Assert.Equal(2, tracker.InUse);
    }
}

using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VideoSensor.Storage;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Storage;

/// <summary>
/// get_metrics' file counts come from one walk of the store shared by every caller: walked again as soon as the
/// service changed the store, or when the last walk is older than <see cref="StoreUsage.MaxAge"/>, never per call.
/// </summary>
public sealed class StoreUsageTests
{
    [Fact]
    public void One_walk_serves_callers_until_the_service_changes_the_store_or_the_count_grows_old()
    {
        using var dir = new TempDirectory();
        var options = new StorageOptions { Root = dir.Path };
        var snapshots = Path.Combine(options.SnapshotsPath, "cam0");
        Directory.CreateDirectory(snapshots);
        File.WriteAllBytes(Path.Combine(snapshots, "a.jpg"), new byte[100]);
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var store = new FileStore(Options.Create(options), time);
        var usage = new StoreUsage(store, Options.Create(options), time);

        Assert.Equal((1, 100L), (usage.Read().SnapshotFiles, usage.Read().SnapshotBytes));

        // A file written behind the service's back (a recorder's growing segment) shows once the count is old.
        File.WriteAllBytes(Path.Combine(snapshots, "b.jpg"), new byte[50]);
        Assert.Equal(1, usage.Read().SnapshotFiles);
        time.Advance(StoreUsage.MaxAge);
        Assert.Equal((2, 150L), (usage.Read().SnapshotFiles, usage.Read().SnapshotBytes));

        // A change made through the store shows at once.
        File.Delete(Path.Combine(snapshots, "a.jpg"));
        store.NoteChange();
        Assert.Equal((1, 50L), (usage.Read().SnapshotFiles, usage.Read().SnapshotBytes));
        Assert.Equal(0, usage.Read().RecordingFiles);
    }
}

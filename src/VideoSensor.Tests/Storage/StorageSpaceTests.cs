using VideoSensor.Storage;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Storage;

/// <summary>Sizing the store while files come and go (segments finishing, retention) answers; it never fails.</summary>
public sealed class StorageSpaceTests
{
    [Fact]
    public async Task Folder_stats_while_files_are_renamed_and_deleted_under_it_never_throw()
    {
        using var dir = new TempDirectory();
        var folder = dir.Combine("recordings", "cam");
        Directory.CreateDirectory(folder);
        for (var i = 0; i < 500; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, $"seg_{i:D4}.mp4"), new byte[100], TestContext.Current.CancellationToken);
        }

        using var stop = new CancellationTokenSource();
        // What a recorder finishing segments does: a .partial renamed to its final name, over and over.
        var churn = Task.Run(() =>
        {
            var renames = 0;
            while (!stop.IsCancellationRequested)
            {
                var i = renames++ % 500;
                var final = Path.Combine(folder, $"seg_{i:D4}.mp4");
                File.Move(final, final + ".partial");
                File.Move(final + ".partial", final);
            }

            return renames;
        });

        var readings = new List<(int Files, long Bytes)>();
        for (var i = 0; i < 300; i++)
        {
            readings.Add(StorageSpace.FolderStats(dir.Combine("recordings")));
        }

        await stop.CancelAsync();
        var renamed = await churn;

        Assert.True(renamed > 1000, $"only {renamed} renames happened: the race was not exercised");
        Assert.All(readings, r => Assert.InRange(r.Files, 490, 510));
    }
}

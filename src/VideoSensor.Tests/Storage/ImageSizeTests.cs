using System.Diagnostics;
using VideoSensor.Storage;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Storage;

/// <summary>The header reader against images written by the real ffmpeg encoders (PNG used to read as 0x0).</summary>
public sealed class ImageSizeTests
{
    [Theory]
    [InlineData("png", 320, 240)]
    [InlineData("jpg", 640, 360)]
    [InlineData("png", 1, 7)]
    public async Task Reads_the_size_ffmpeg_wrote(string extension, int width, int height)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("image." + extension);
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", $"testsrc=size={width}x{height}", "-frames:v", "1", path })
        {
            info.ArgumentList.Add(arg);
        }

        using var ffmpeg = Process.Start(info)!;
        var error = await ffmpeg.StandardError.ReadToEndAsync();
        await ffmpeg.WaitForExitAsync();
        Assert.True(ffmpeg.ExitCode == 0, error);

        Assert.Equal((width, height), ImageSize.TryRead(path));
    }

    [Fact]
    public void A_file_that_is_neither_PNG_nor_JPEG_has_no_size() =>
        Assert.Null(ImageSize.TryRead("GIF89a\x01\x00\x01\x00 and some more bytes to pass 24"u8));
}

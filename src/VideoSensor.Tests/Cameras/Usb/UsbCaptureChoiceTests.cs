using VideoSensor.Cameras;
using VideoSensor.Cameras.Usb;
using VideoSensor.Cameras.Usb.V4l2;

namespace VideoSensor.Tests.Cameras.Usb;

public sealed class UsbCaptureChoiceTests
{
    private static V4l2FormatInfo Format(string fourCc, params (int W, int H, int[] Fps)[] sizes) =>
        new(fourCc, fourCc, [.. sizes.Select(s => new V4l2SizeRates(new Resolution(s.W, s.H), s.Fps))]);

    [Fact]
    public void Native_h264_beats_mjpeg_beats_raw()
    {
        var yuyv = Format("YUYV", (1280, 720, [10]));
        var mjpg = Format("MJPG", (1280, 720, [30]));
        var h264 = Format("H264", (1280, 720, [30]));
        var wanted = new Resolution(1280, 720);
        Assert.Equal("h264", UsbCaptureChoice.Choose([yuyv, mjpg, h264], wanted, 30)!.InputFormat);
        Assert.Equal("mjpeg", UsbCaptureChoice.Choose([yuyv, mjpg], wanted, 30)!.InputFormat);
        Assert.Equal("yuyv422", UsbCaptureChoice.Choose([yuyv], wanted, 30)!.InputFormat);
        Assert.Null(UsbCaptureChoice.Choose([Format("Y16 ", (640, 480, [30]))], wanted, 30));
    }

    [Fact]
    public void Nearest_size_and_rate_when_the_configured_ones_are_not_offered()
    {
        var mjpg = Format("MJPG", (640, 480, [30, 15]), (1920, 1080, [30, 5]), (2560, 1440, [15]));
        Assert.Equal(new UsbCapture("mjpeg", new Resolution(1920, 1080), 5), UsbCaptureChoice.Choose([mjpg], new Resolution(1280, 720), 10));
        Assert.Equal(new UsbCapture("mjpeg", new Resolution(2560, 1440), 15), UsbCaptureChoice.Choose([mjpg], new Resolution(3840, 2160), 60));
        Assert.Equal(new UsbCapture("mjpeg", new Resolution(640, 480), 30), UsbCaptureChoice.Choose([mjpg], new Resolution(640, 480), 30));
    }
}

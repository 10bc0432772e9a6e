using System.Buffers.Binary;
using System.Text;
using VideoSensor.Cameras.Usb.Hotplug;
using VideoSensor.Cameras.Usb.V4l2;

namespace VideoSensor.Tests.Cameras.Usb;

/// <summary>Struct layouts and ioctl numbers, checked against bytes laid out by hand from videodev2.h.</summary>
public sealed class V4l2StructTests
{
    [Fact]
    public void Ioctl_numbers_match_the_kernel_headers()
    {
        // Values of VIDIOC_* as printed by a C program including <linux/videodev2.h> on x86_64/arm64.
        Assert.Equal(0x80685600u, V4l2Ioctl.QueryCap);
        Assert.Equal(0xc0405602u, V4l2Ioctl.EnumFormat);
        Assert.Equal(0xc02c564au, V4l2Ioctl.EnumFrameSizes);
        Assert.Equal(0xc034564bu, V4l2Ioctl.EnumFrameIntervals);
    }

    [Fact]
    public void Querycap_reply_is_decoded_from_kernel_offsets()
    {
        var b = new byte[104];
        Encoding.ASCII.GetBytes("uvcvideo").CopyTo(b, 0);
        Encoding.ASCII.GetBytes("HD Pro Webcam C920").CopyTo(b, 16);
        Encoding.ASCII.GetBytes("usb-0000:00:14.0-1").CopyTo(b, 48);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(80), 0x00060b00);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(84), 0x84a00001);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(88), 0x04200001);

        var cap = V4l2Structs.ReadCapability(b);

        Assert.Equal(new V4l2Capability("uvcvideo", "HD Pro Webcam C920", "usb-0000:00:14.0-1", 0x00060b00, 0x84a00001, 0x04200001), cap);
        Assert.True(cap.IsVideoCapture);

        // The metadata node of the same camera: device_caps has META_CAPTURE, not VIDEO_CAPTURE.
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(88), 0x04a00000);
        Assert.False(V4l2Structs.ReadCapability(b).IsVideoCapture);

        var written = new byte[104];
        V4l2Structs.WriteCapability(written, V4l2Structs.ReadCapability(b));
        Assert.Equal(b, written);
    }

    [Fact]
    public void Fmtdesc_request_and_reply_use_kernel_offsets()
    {
        var request = new byte[64];
        V4l2Structs.WriteFmtDescRequest(request, 3, 1);
        var expected = new byte[64];
        expected[0] = 3;
        expected[4] = 1;
        Assert.Equal(expected, request);

        Encoding.ASCII.GetBytes("Motion-JPEG").CopyTo(expected, 12);
        Encoding.ASCII.GetBytes("MJPG").CopyTo(expected, 44);
        expected[8] = 1; // V4L2_FMT_FLAG_COMPRESSED
        var reply = V4l2Structs.ReadFmtDesc(expected);
        Assert.Equal(new V4l2FormatDescription(3, 1, 1, "Motion-JPEG", V4l2Constants.FourCc("MJPG")), reply);
        Assert.Equal("MJPG", V4l2Constants.FourCcText(reply.PixelFormat));
    }

    [Fact]
    public void Frame_size_discrete_and_stepwise_layouts()
    {
        var b = new byte[44];
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(0), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), V4l2Constants.FourCc("YUYV"));
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(12), 1280);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), 720);
        Assert.Equal(new V4l2FrameSize(2, V4l2Constants.FourCc("YUYV"), 1, 1280, 1280, 0, 720, 720, 0), V4l2Structs.ReadFrmSize(b));

        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), 3);
        uint[] stepwise = [16, 1920, 8, 16, 1080, 2];
        for (var i = 0; i < stepwise.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(12 + (4 * i)), stepwise[i]);
        }

        var size = V4l2Structs.ReadFrmSize(b);
        Assert.Equal(new V4l2FrameSize(2, V4l2Constants.FourCc("YUYV"), 3, 16, 1920, 8, 16, 1080, 2), size);
        var written = new byte[44];
        V4l2Structs.WriteFrmSize(written, size);
        Assert.Equal(b, written);
    }

    [Fact]
    public void Frame_interval_layout_and_fps()
    {
        var b = new byte[52];
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(0), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), V4l2Constants.FourCc("MJPG"));
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), 1920);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(12), 1080);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(20), 1001);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(24), 30000);

        var interval = V4l2Structs.ReadFrmIval(b);

        Assert.Equal((1u, 1920u, 1080u, 1u), (interval.Index, interval.Width, interval.Height, interval.Type));
        Assert.Equal(new V4l2Fraction(1001, 30000), interval.Min);
        Assert.Equal(30, V4l2Probe.Fps(interval.Min));
        Assert.Null(V4l2Probe.Fps(new V4l2Fraction(0, 30)));
        var written = new byte[52];
        V4l2Structs.WriteFrmIval(written, interval);
        Assert.Equal(b, written);
    }

    [Fact]
    public void Probe_walks_formats_sizes_and_rates_until_einval()
    {
        var device = new FakeV4l2Device(FakeNode.Camera("MJPG", "YUYV"));

        var result = V4l2Probe.Probe(device, "/dev/video0");

        Assert.True(result.IsCapture);
        Assert.Equal(["MJPG", "YUYV"], result.Formats.Select(f => f.FourCc));
        Assert.Equal([30, 15, 5], result.Formats[0].Sizes.Single(s => s.Size == new VideoSensor.Cameras.Resolution(1280, 720)).FrameRates);
        // 1 QUERYCAP, 3 ENUM_FMT (2 + EINVAL), per format 4 ENUM_FRAMESIZES and 3 sizes × (rates + 1) ENUM_FRAMEINTERVALS.
        Assert.Equal(1 + 3 + (2 * (4 + 3 + 4 + 2)), device.Calls.Count);
    }

    [Fact]
    public void Netlink_address_is_the_12_byte_sockaddr_nl()
    {
        var b = new byte[12];
        new NetlinkAddress(0x01020304, NetlinkAddress.Mask(1) | NetlinkAddress.Mask(2)).Write(b);
        Assert.Equal(new byte[] { 16, 0, 0, 0, 4, 3, 2, 1, 3, 0, 0, 0 }, b);
        Assert.Equal(new NetlinkAddress(0x01020304, 3), NetlinkAddress.Read(b));
    }
}

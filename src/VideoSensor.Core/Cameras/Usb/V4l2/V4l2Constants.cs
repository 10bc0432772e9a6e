namespace VideoSensor.Cameras.Usb.V4l2;

/// <summary>The few <c>videodev2.h</c> constants the probe needs.</summary>
internal static class V4l2Constants
{
    public const uint CapVideoCapture = 0x00000001;
    public const uint CapVideoCaptureMplane = 0x00001000;
    public const uint CapMetaCapture = 0x00800000;
    public const uint CapStreaming = 0x04000000;
    public const uint CapDeviceCaps = 0x80000000;

    public const uint BufTypeVideoCapture = 1;

    public const uint FrmSizeDiscrete = 1;
    public const uint FrmSizeContinuous = 2;
    public const uint FrmSizeStepwise = 3;

    public const uint FrmIvalDiscrete = 1;
    public const uint FrmIvalContinuous = 2;
    public const uint FrmIvalStepwise = 3;

    /// <summary>A V4L2 fourcc as the kernel stores it: little-endian characters.</summary>
    public static uint FourCc(string code) =>
        code.Length == 4 ? (uint)(code[0] | (code[1] << 8) | (code[2] << 16) | (code[3] << 24)) : throw new ArgumentException("a fourcc has 4 characters", nameof(code));

    public static string FourCcText(uint value)
    {
        Span<char> chars = stackalloc char[4];
        for (var i = 0; i < 4; i++)
        {
            var c = (char)((value >> (8 * i)) & 0xff);
            chars[i] = c is >= ' ' and <= '~' ? c : '?';
        }

        return new string(chars).TrimEnd();
    }
}

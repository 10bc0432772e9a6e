using VideoSensor.Secrets;

namespace VideoSensor.Cameras;

/// <summary>How to reach a camera's video; turned into ffmpeg input arguments by the media layer.</summary>
internal abstract record CameraSource;

/// <summary>
/// A synthetic camera: ffmpeg's lavfi test pattern with a burnt-in clock and, when <paramref name="Audio"/>, a tone
/// that beeps on each of the clock's second boundaries (so A/V sync can be measured without hardware).
/// </summary>
internal sealed record TestPatternSource(string Pattern, Resolution Resolution, int Fps, bool Audio = false) : CameraSource;

/// <summary>An IP camera. The URL never holds credentials; they are resolved from the secret source when used.</summary>
/// <remarks>With <paramref name="OpusForWebRtc"/> the service republishes the feed with the video copied and the audio in
/// Opus (WebRTC cannot carry AAC); otherwise MediaMTX pulls the feed and passes every track through untouched.</remarks>
internal sealed record RtspSource(Uri Url, SecretReference? Username, SecretReference? Password, string Transport, bool OpusForWebRtc = false) : CameraSource;

/// <summary>A V4L2 capture node, with the camera's own microphone when it has one and audio is on.</summary>
internal sealed record UsbSource(string DevicePath, string InputFormat, Resolution Resolution, int Fps, UsbMicrophone? Microphone = null) : CameraSource;

/// <summary>The ALSA capture device on the same USB device as a camera's video node, and how it is captured.</summary>
internal sealed record UsbMicrophone(int Card, int Device, int Channels, int Rate)
{
    /// <summary>The ALSA name ffmpeg opens (<c>hw:CARD,DEV</c>): the card number, so no name lookup can pick another card.</summary>
    public string AlsaName => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"hw:{Card},{Device}");
}

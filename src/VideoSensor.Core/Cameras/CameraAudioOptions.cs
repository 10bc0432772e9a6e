using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace VideoSensor.Cameras;

/// <summary>A camera's <c>audio:</c> section.</summary>
internal sealed class CameraAudioOptions
{
    public const string Passthrough = "passthrough";
    public const string Transcode = "transcode";

    /// <summary>Carry the camera's sound (a test pattern's tone, a USB camera's microphone). On by default.</summary>
    [ConfigurationKeyName("enabled")] public bool Enabled { get; set; } = true;

    /// <summary>
    /// RTSP feeds: <c>passthrough</c> (default) leaves the feed's audio untouched, so WebRTC viewers of an AAC camera
    /// hear nothing; <c>transcode</c> republishes the feed with the video copied and the audio in Opus (costs CPU).
    /// </summary>
    [ConfigurationKeyName("webrtc"), RegularExpression("^(passthrough|transcode)$", ErrorMessage = "must be passthrough or transcode")]
    public string WebRtc { get; set; } = Passthrough;
}

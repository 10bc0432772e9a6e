using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using VideoSensor.Configuration;
using VideoSensor.Secrets;

namespace VideoSensor.Cameras;

/// <summary>The <c>cameras:</c> section: configured sources of every kind.</summary>
internal sealed class CamerasOptions : IValidatableObject
{
    public const string Section = "cameras";

    [ConfigurationKeyName("test_patterns")] public List<TestPatternCameraOptions> TestPatterns { get; set; } = [];
    [ConfigurationKeyName("rtsp")] public List<RtspCameraOptions> Rtsp { get; set; } = [];
    [ConfigurationKeyName("usb")] public Usb.UsbOptions Usb { get; set; } = new();

    /// <summary>How often each RTSP feed is probed for its status.</summary>
    [ConfigurationKeyName("rtsp_probe_interval_seconds"), Range(1, 3600)] public int RtspProbeIntervalSeconds { get; set; } = 30;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var ids = TestPatterns.Select(t => t.Id).Concat(Rtsp.Select(r => r.Id)).Where(i => i.Length > 0);
        foreach (var dup in ids.GroupBy(i => i, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return new ValidationResult($"camera id '{dup.Key}' is used more than once", ["Rtsp"]);
        }
    }
}

/// <summary>A synthetic camera made by ffmpeg (so a fresh install has one working camera).</summary>
internal sealed class TestPatternCameraOptions
{
    [ConfigurationKeyName("id"), Required, Matches(CameraIds.Pattern)]
    public string Id { get; set; } = "";

    [ConfigurationKeyName("name")] public string Name { get; set; } = "Test pattern";

    [ConfigurationKeyName("pattern"), RegularExpression("^(testsrc2|testsrc|smptebars|smptehdbars|rgbtestsrc|mandelbrot)$", ErrorMessage = "must be one of testsrc2, testsrc, smptebars, smptehdbars, rgbtestsrc, mandelbrot")]
    public string Pattern { get; set; } = "testsrc2";

    [ConfigurationKeyName("resolution"), RegularExpression(@"^\d{2,5}x\d{2,5}$", ErrorMessage = "must look like 1280x720")]
    public string Resolution { get; set; } = "1280x720";

    [ConfigurationKeyName("fps"), Range(1, 120)] public int Fps { get; set; } = 15;

    /// <summary><c>audio.enabled</c>: a tone beeping on each second of the burnt-in clock (Opus).</summary>
    [ConfigurationKeyName("audio")] public CameraAudioOptions Audio { get; set; } = new();
}

/// <summary>An IP camera feed. Credentials only by secret reference, never inline.</summary>
internal class RtspCameraOptions : IValidatableObject
{
    [ConfigurationKeyName("id"), Required, Matches(CameraIds.Pattern)]
    public string Id { get; set; } = "";

    [ConfigurationKeyName("name")] public string Name { get; set; } = "";
    [ConfigurationKeyName("url"), Required] public string Url { get; set; } = "";
    [ConfigurationKeyName("username")] public SecretReference? Username { get; set; }
    [ConfigurationKeyName("password")] public SecretReference? Password { get; set; }

    [ConfigurationKeyName("transport"), RegularExpression("^(tcp|udp|automatic)$", ErrorMessage = "must be tcp, udp or automatic")]
    public string Transport { get; set; } = "tcp";

    [ConfigurationKeyName("resolution"), RegularExpression(@"^\d{2,5}x\d{2,5}$", ErrorMessage = "must look like 1280x720")]
    public string Resolution { get; set; } = "1280x720";

    [ConfigurationKeyName("fps"), Range(1, 120)] public int Fps { get; set; } = 15;

    /// <summary><c>audio.webrtc: transcode</c> republishes the feed with its audio in Opus so WebRTC viewers hear it.</summary>
    [ConfigurationKeyName("audio")] public CameraAudioOptions Audio { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != "rtsp" && uri.Scheme != "rtsps"))
        {
            yield return new ValidationResult("must be an absolute rtsp:// or rtsps:// URL", [nameof(Url)]);
        }
        else if (uri.UserInfo.Length > 0)
        {
            yield return new ValidationResult("must not contain credentials: reference them with username/password {secret, key}", [nameof(Url)]);
        }
    }
}

using VideoSensor.Platform.Secrets;

namespace VideoSensor.Cameras;

/// <summary>How to reach a camera's video; turned into ffmpeg input arguments by the media layer.</summary>
internal abstract record CameraSource;

/// <summary>A synthetic camera: ffmpeg's lavfi test pattern with a burnt-in clock.</summary>
internal sealed record TestPatternSource(string Pattern, Resolution Resolution, int Fps) : CameraSource;

/// <summary>An IP camera. The URL never holds credentials; they are resolved from the secret source when used.</summary>
internal sealed record RtspSource(Uri Url, SecretReference? Username, SecretReference? Password, string Transport) : CameraSource;

/// <summary>A V4L2 capture node.</summary>
internal sealed record UsbSource(string DevicePath, string InputFormat, Resolution Resolution, int Fps) : CameraSource;

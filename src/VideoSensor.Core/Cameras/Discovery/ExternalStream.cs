using VideoSensor.Secrets;

namespace VideoSensor.Cameras.Discovery;

/// <summary>An RTSP stream added at run time (<c>add_external_stream</c>); persisted so it survives restarts.</summary>
internal sealed record ExternalStream(string Name, string Url, string Type, DateTimeOffset Added, SecretReference? Username, SecretReference? Password);

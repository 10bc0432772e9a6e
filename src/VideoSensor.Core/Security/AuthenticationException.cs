namespace VideoSensor.Security;

/// <summary>A credential was rejected; the message is safe to show the caller.</summary>
internal sealed class AuthenticationException(string message) : Exception(message);

namespace VideoSensor.Security;

/// <summary>Who a token or key says the caller is, and until when.</summary>
internal sealed record AuthenticatedUser(string UserId, Role Role, DateTimeOffset? ExpiresAt, string Method);

namespace VideoSensor.Secrets;

/// <summary>
/// The key under which the platform registers the secret store it chose (Dapr's, or the local file and environment).
/// The <see cref="ISecretSource"/> every part asks is a layer above it (console-entered credentials first), so the
/// platform's choice and the core's layering never have to know the order they were registered in.
/// </summary>
internal static class PlatformSecretSource
{
    public const string Key = "platform";
}

namespace VideoSensor.Configuration.Live;

/// <summary>
/// When the configuration the service starts with is complete: at once without Dapr, after the configuration
/// store's first read with it. A consumer that acts irreversibly on a live setting (retention deletes files)
/// waits for it, so it never acts on a file value the store is about to replace.
/// </summary>
internal sealed class ConfigurationReadiness(Task complete)
{
    public Task Complete { get; } = complete;
}

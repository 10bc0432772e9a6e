namespace VideoSensor.Secrets;

/// <summary>Resolves secret references: the Dapr secret store when a sidecar runs, a local file or the environment otherwise.</summary>
internal interface ISecretSource
{
    /// <summary>The secret's value, or null when the store has no such secret or key.</summary>
    ValueTask<string?> GetAsync(SecretReference reference, CancellationToken cancellationToken);
}

namespace VideoSensor.Secrets;

/// <summary>Resolves secret references: the Dapr secret store when a sidecar runs, a local file or the environment otherwise.</summary>
internal interface ISecretSource
{
    /// <summary>The secret's value, or null when the store has no such secret or key.</summary>
    ValueTask<string?> GetAsync(SecretReference reference, CancellationToken cancellationToken);

    /// <summary>
    /// The value the store holds now, past any cache: for a credential about to open a connection (an RTSP camera), so
    /// a rotated one is used at the next open. Sources without a cache answer as <see cref="GetAsync"/>.
    /// </summary>
    ValueTask<string?> GetCurrentAsync(SecretReference reference, CancellationToken cancellationToken) => GetAsync(reference, cancellationToken);
}

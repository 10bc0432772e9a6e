namespace VideoSensor.Errors;

/// <summary>
/// A failure the caller should hear about, in domain terms. The API layer maps each kind to the
/// contract's error code; <see cref="Exception.Message"/> must be safe to show (no secrets, no paths).
/// </summary>
internal abstract class SensorException(string message, string suggestion) : Exception(message)
{
    public string Suggestion { get; } = suggestion;
}

/// <summary>A camera, file or stream that does not exist.</summary>
internal sealed class NotFoundException(string resource, string id, string suggestion)
    : SensorException($"{resource} '{id}' not found", suggestion)
{
    public string Resource { get; } = resource;
    public string Id { get; } = id;
}

/// <summary>The thing exists but cannot do this now (already recording, camera disconnected).</summary>
internal sealed class InvalidStateException(string message, string state, IReadOnlyList<string> allowedStates, string suggestion)
    : SensorException(message, suggestion)
{
    public string State { get; } = state;
    public IReadOnlyList<string> AllowedStates { get; } = allowedStates;
}

/// <summary>A feature this camera or build does not offer.</summary>
internal sealed class UnsupportedException(string feature, string message, string suggestion)
    : SensorException(message, suggestion)
{
    public string Feature { get; } = feature;
}

/// <summary>Something the service relies on failed: ffmpeg, MediaMTX, Dapr, storage.</summary>
internal sealed class DependencyException(string dependency, string detail, string suggestion)
    : SensorException($"{dependency} failed: {detail}", suggestion)
{
    public string Dependency { get; } = dependency;
    public string Detail { get; } = detail;

    /// <summary>
    /// A specific <c>reason</c> for the error's <c>data</c> (storage_full, storage_readonly, tool_missing …);
    /// null keeps the generic <c>dependency_failed</c>.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>More fields for the error's <c>data</c> (the capacity error lists its holders).</summary>
    public IReadOnlyDictionary<string, object?> Extra { get; init; } = new Dictionary<string, object?>();
}

/// <summary>A parameter that is well-typed but not acceptable.</summary>
internal sealed class InvalidParameterException(string param, string rule, string message)
    : SensorException(message, $"fix '{param}': {rule}")
{
    public string Param { get; } = param;
    public string Rule { get; } = rule;
}

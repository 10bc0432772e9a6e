namespace VideoSensor.Contracts;

/// <summary>
/// A request that checks itself beyond its types; <see cref="Validate"/> throws
/// <see cref="Errors.InvalidParameterException"/> naming the param and its rule. Every transport calls it before the
/// action runs, so a rule is written once.
/// </summary>
internal interface IValidatedRequest
{
    void Validate();
}

namespace VideoSensor.Contracts;

/// <summary>
/// The control-plane methods this instance answers, by name. The platform adapter lists them in the sensor's
/// registration without knowing the transport that serves them.
/// </summary>
internal interface IMethodDirectory
{
    IReadOnlyList<string> MethodNames { get; }
}

namespace VideoSensor.Errors;

/// <summary>
/// The contract's code for each kind of domain failure. Every transport reports it: JSON-RPC as the error's
/// <c>code</c>, REST as the problem's <c>code</c>, a Dapr command as the result's <c>error_code</c>, so one failure
/// reads the same wherever the action was asked for.
/// </summary>
internal static class ErrorCodes
{
    public const int InvalidParams = -32602;
    public const int NotFound = -32010;
    public const int InvalidState = -32020;
    public const int Unsupported = -32030;
    public const int DependencyFailed = -32050;

    public static int Of(SensorException exception) => exception switch
    {
        InvalidParameterException => InvalidParams,
        NotFoundException => NotFound,
        InvalidStateException => InvalidState,
        UnsupportedException => Unsupported,
        _ => DependencyFailed,
    };
}

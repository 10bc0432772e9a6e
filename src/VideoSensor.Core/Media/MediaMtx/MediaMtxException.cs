namespace VideoSensor.Media.MediaMtx;

/// <summary>How a MediaMTX API call failed.</summary>
internal enum MediaMtxFailure
{
    /// <summary>Nothing answered, or not in time.</summary>
    Unreachable,
    /// <summary>The request was refused before it was sent (bad path name).</summary>
    InvalidRequest,
    /// <summary>MediaMTX answered 400.</summary>
    Rejected,
    /// <summary>MediaMTX answered 404.</summary>
    NotFound,
    /// <summary>MediaMTX answered 5xx or something unreadable.</summary>
    ServerError,
}

/// <summary>A failed MediaMTX API call. The message is safe to show: credentials are masked.</summary>
internal sealed class MediaMtxException(MediaMtxFailure failure, string message, int? statusCode = null, Exception? inner = null)
    : Exception(message, inner)
{
    public MediaMtxFailure Failure { get; } = failure;
    public int? StatusCode { get; } = statusCode;
}

namespace VideoSensor.Cameras.Rtsp;

/// <summary>
/// An RTSP feed added at run time, as kept in <c>state/sources.json</c>: the <c>cameras.rtsp</c> shape plus when it
/// was added and the type label the client gave. Files written before these two fields existed read as they were.
/// </summary>
internal sealed class StoredSource : RtspCameraOptions
{
    public DateTimeOffset? AddedAt { get; set; }

    /// <summary>The client's label: <c>rtsp</c>, <c>ip_camera</c> or <c>generic_rtsp</c>; all are probed and streamed alike.</summary>
    public string StreamType { get; set; } = SaveSourceRequest.DefaultStreamType;

    public static StoredSource From(RtspCameraOptions source, DateTimeOffset addedAt, string streamType) => new()
    {
        Id = source.Id,
        Name = source.Name,
        Url = source.Url,
        Username = source.Username,
        Password = source.Password,
        Transport = source.Transport,
        Resolution = source.Resolution,
        Fps = source.Fps,
        Audio = source.Audio,
        AddedAt = addedAt,
        StreamType = streamType,
    };
}

namespace VideoSensor.Cameras;

/// <summary>An audio track as measured from a camera's stream (ffprobe): codec, sample rate and channel count.</summary>
internal sealed record AudioTrack(string Codec, int SampleRate, int Channels)
{
    /// <summary>
    /// The protocols MediaMTX can hand this codec to: WebRTC carries Opus and G.711 only, HLS carries AAC and Opus
    /// only (fMP4), RTSP carries whatever arrived.
    /// </summary>
    public IReadOnlyList<string> Protocols => Codec switch
    {
        "opus" => ["rtsp", "webrtc", "hls"],
        "aac" => ["rtsp", "hls"],
        "pcm_mulaw" or "pcm_alaw" => ["rtsp", "webrtc"],
        _ => ["rtsp"],
    };
}

/// <summary>What a camera's microphone offers (a USB camera's ALSA capture device): channel counts, sample rates, ALSA card.</summary>
internal sealed record AudioCapability(IReadOnlyList<int> Channels, IReadOnlyList<int> Rates, string? Card);

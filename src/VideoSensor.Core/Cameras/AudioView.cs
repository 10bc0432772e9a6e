namespace VideoSensor.Cameras;

/// <summary>A camera's audio track as the API shows it (measured from the stream), with the protocols that carry it.</summary>
internal sealed record AudioTrackView(string Codec, int SampleRate, int Channels, IReadOnlyList<string> Protocols)
{
    public static AudioTrackView? From(AudioTrack? track) =>
        track is null ? null : new(track.Codec, track.SampleRate, track.Channels, track.Protocols);
}

/// <summary>A camera's microphone as the API shows it: channel counts and sample rates it offers, and its ALSA card.</summary>
internal sealed record AudioCapabilityView(IReadOnlyList<int> Channels, IReadOnlyList<int> Rates, string? Card)
{
    public static AudioCapabilityView? From(AudioCapability? capability) =>
        capability is null ? null : new(capability.Channels, capability.Rates, capability.Card);
}

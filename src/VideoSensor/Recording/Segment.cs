namespace VideoSensor.Recording;

/// <summary>A finished segment file of a recording: a complete, playable file in the store.</summary>
internal sealed record Segment(string FileName, string FullPath, long Size, double Duration);

namespace VideoSensor.Cameras.Usb.Controls;

/// <summary>One camera control as get_camera_controls reports it: what the driver said, plus the value read now.</summary>
internal sealed record CameraControl(
    uint Id,
    string Name,
    string Label,
    string Type,
    long Min,
    long Max,
    long Step,
    long Default,
    long? Value,
    IReadOnlyList<ControlMenuItem>? Menu,
    IReadOnlyList<string> Flags,
    bool Inactive,
    bool ReadOnly)
{
    /// <summary>The raw V4L2 type and flags, kept for validation (not sent: <see cref="Type"/> and <see cref="Flags"/> say the same).</summary>
    [System.Text.Json.Serialization.JsonIgnore] public uint RawType { get; init; }

    [System.Text.Json.Serialization.JsonIgnore] public uint RawFlags { get; init; }
}

/// <summary>One menu entry: its index (the value to set), and a name (menus) or a number (integer menus).</summary>
internal sealed record ControlMenuItem(long Index, string? Name, long? Value);

namespace VideoSensor.Cameras.Usb.Controls;

/// <summary>
/// The control ioctls and constants of <c>&lt;linux/videodev2.h&gt;</c>. Request numbers are computed as
/// <c>_IOWR('V', nr, struct)</c> from the struct sizes, which are the same on every ABI Linux runs on.
/// </summary>
internal static class V4l2ControlAbi
{
    public static uint GetControl { get; } = IoWr(27, V4l2ControlStructs.ControlSize);
    public static uint SetControl { get; } = IoWr(28, V4l2ControlStructs.ControlSize);
    public static uint QueryControl { get; } = IoWr(36, V4l2ControlStructs.QueryCtrlSize);
    public static uint QueryMenu { get; } = IoWr(37, V4l2ControlStructs.QueryMenuSize);
    public static uint QueryExtControl { get; } = IoWr(103, V4l2ControlStructs.QueryExtCtrlSize);

    /// <summary>OR-ed into a query id: "the next control after this one".</summary>
    public const uint FlagNextControl = 0x80000000;
    public const uint FlagNextCompound = 0x40000000;
    public const uint IdMask = 0x0fffffff;

    // enum v4l2_ctrl_type
    public const uint TypeInteger = 1;
    public const uint TypeBoolean = 2;
    public const uint TypeMenu = 3;
    public const uint TypeButton = 4;
    public const uint TypeInteger64 = 5;
    public const uint TypeControlClass = 6;
    public const uint TypeString = 7;
    public const uint TypeBitmask = 8;
    public const uint TypeIntegerMenu = 9;

    // V4L2_CTRL_FLAG_*
    public const uint FlagDisabled = 0x0001;
    public const uint FlagGrabbed = 0x0002;
    public const uint FlagReadOnly = 0x0004;
    public const uint FlagUpdate = 0x0008;
    public const uint FlagInactive = 0x0010;
    public const uint FlagSlider = 0x0020;
    public const uint FlagWriteOnly = 0x0040;
    public const uint FlagVolatile = 0x0080;
    public const uint FlagHasPayload = 0x0100;
    public const uint FlagExecuteOnWrite = 0x0200;
    public const uint FlagModifyLayout = 0x0400;

    // A few well-known ids (V4L2_CID_BASE = 0x00980900, V4L2_CID_CAMERA_CLASS_BASE = 0x009a0900).
    public const uint CidBrightness = 0x00980900;
    public const uint CidContrast = 0x00980901;
    public const uint CidSaturation = 0x00980902;
    public const uint CidAutoWhiteBalance = 0x0098090c;
    public const uint CidGain = 0x00980913;
    public const uint CidPowerLineFrequency = 0x00980918;
    public const uint CidWhiteBalanceTemperature = 0x0098091a;
    public const uint CidExposureAuto = 0x009a0901;
    public const uint CidExposureAbsolute = 0x009a0902;
    public const uint CidFocusAbsolute = 0x009a090a;
    public const uint CidFocusAuto = 0x009a090c;

    public static string TypeName(uint type) => type switch
    {
        TypeInteger => "integer",
        TypeBoolean => "boolean",
        TypeMenu => "menu",
        TypeButton => "button",
        TypeInteger64 => "integer64",
        TypeControlClass => "control_class",
        TypeString => "string",
        TypeBitmask => "bitmask",
        TypeIntegerMenu => "integer_menu",
        _ => $"type_{type}",
    };

    private static readonly (uint Flag, string Name)[] FlagNames =
    [
        (FlagDisabled, "disabled"), (FlagGrabbed, "grabbed"), (FlagReadOnly, "read_only"), (FlagUpdate, "update"),
        (FlagInactive, "inactive"), (FlagSlider, "slider"), (FlagWriteOnly, "write_only"), (FlagVolatile, "volatile"),
        (FlagHasPayload, "has_payload"), (FlagExecuteOnWrite, "execute_on_write"), (FlagModifyLayout, "modify_layout"),
    ];

    public static IReadOnlyList<string> FlagList(uint flags) => [.. FlagNames.Where(f => (flags & f.Flag) != 0).Select(f => f.Name)];

    private static uint IoWr(uint number, int size) => (3u << 30) | ((uint)size << 16) | ((uint)'V' << 8) | number;
}

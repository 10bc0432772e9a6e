namespace VideoSensor.Cameras.Usb;

/// <summary>
/// The VID:PIDs this container may claim: the config list plus <c>VIDEOSENSOR_USB_ASSIGNED</c>
/// (comma separated, set by the Hub OS when it hands devices to the container). <c>*</c> claims all.
/// </summary>
internal sealed class UsbAssignment
{
    public const string EnvironmentVariable = "VIDEOSENSOR_USB_ASSIGNED";

    private readonly HashSet<string> _ids;

    public UsbAssignment(IEnumerable<string> configured, string? environment)
    {
        var fromEnv = (environment ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(a => a == "*" || UsbOptions.VidPid().IsMatch(a));
        _ids = new HashSet<string>(configured.Concat(fromEnv).Select(a => a.ToLowerInvariant()), StringComparer.Ordinal);
        ClaimsAll = _ids.Contains("*");
    }

    public bool ClaimsAll { get; }

    public bool IsEmpty => _ids.Count == 0;

    public bool Claims(string vidPid) => ClaimsAll || _ids.Contains(vidPid.ToLowerInvariant());

    /// <summary>What a node's claim depends on: its ids when it has them; a node without readable ids only under <c>*</c>.</summary>
    public bool Claims(UsbNode node) => node.Device is { } d ? Claims(d.VidPid) : ClaimsAll;

    public override string ToString() => _ids.Count == 0 ? "(none)" : string.Join(",", _ids.Order(StringComparer.Ordinal));
}

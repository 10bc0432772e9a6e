namespace VideoSensor.Security;

/// <summary>Hierarchical roles: each includes everything the one before it may do.</summary>
internal enum Role
{
    Viewer = 1,
    Operator = 2,
    Admin = 3,
}

internal static class RoleExtensions
{
    public static string ToWire(this Role role) => role switch
    {
        Role.Viewer => "viewer",
        Role.Operator => "operator",
        _ => "admin",
    };

    public static bool TryParse(string? text, out Role role)
    {
        switch (text?.ToLowerInvariant())
        {
            case "viewer": role = Role.Viewer; return true;
            case "operator": role = Role.Operator; return true;
            case "admin": role = Role.Admin; return true;
            default: role = default; return false;
        }
    }

    /// <summary>The permission names of the contract: view, control, admin.</summary>
    public static IReadOnlyList<string> Permissions(this Role role) => role switch
    {
        Role.Viewer => ["view"],
        Role.Operator => ["view", "control"],
        _ => ["view", "control", "admin"],
    };
}

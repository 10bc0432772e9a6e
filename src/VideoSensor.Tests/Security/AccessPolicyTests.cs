using VideoSensor.Security;

namespace VideoSensor.Tests.Security;

/// <summary>The one role check every transport asks.</summary>
public sealed class AccessPolicyTests
{
    [Theory]
    [InlineData("viewer", null, "Unauthenticated")]
    [InlineData("viewer", "viewer", "Allowed")]
    [InlineData("operator", "viewer", "Forbidden")]
    [InlineData("operator", "admin", "Allowed")]
    [InlineData("admin", "operator", "Forbidden")]
    [InlineData("admin", "admin", "Allowed")]
    public void Roles_are_hierarchical_and_no_caller_is_unauthenticated(string required, string? caller, string expected)
    {
        RoleExtensions.TryParse(required, out var needs);
        var user = RoleExtensions.TryParse(caller, out var role) ? new AuthenticatedUser("u", role, null, "jwt") : null;

        Assert.Equal(expected, AccessPolicy.Check(needs, user).ToString());
    }
}

using VideoSensor.Security;

namespace VideoSensor.Tests.Security;

/// <summary>The one role check every transport asks.</summary>
public sealed class AccessPolicyTests
{
    [Theory]
    [InlineData(Role.Viewer, null, AccessDecision.Unauthenticated)]
    [InlineData(Role.Viewer, Role.Viewer, AccessDecision.Allowed)]
    [InlineData(Role.Operator, Role.Viewer, AccessDecision.Forbidden)]
    [InlineData(Role.Operator, Role.Admin, AccessDecision.Allowed)]
    [InlineData(Role.Admin, Role.Operator, AccessDecision.Forbidden)]
    [InlineData(Role.Admin, Role.Admin, AccessDecision.Allowed)]
    public void Roles_are_hierarchical_and_no_caller_is_unauthenticated(Role required, Role? caller, AccessDecision expected) =>
        Assert.Equal(expected, AccessPolicy.Check(required, caller is { } role ? new AuthenticatedUser("u", role, null, "jwt") : null));
}

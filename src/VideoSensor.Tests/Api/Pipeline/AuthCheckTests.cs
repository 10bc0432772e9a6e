using Microsoft.Extensions.Time.Testing;
using VideoSensor.Api.JsonRpc;
using VideoSensor.Api.JsonRpc.Pipeline;
using VideoSensor.Security;

namespace VideoSensor.Tests.Api.Pipeline;

/// <summary>Step 3, auth: the method's declared role against the connection's caller.</summary>
public sealed class AuthCheckTests
{
    private readonly PipelineFixture _fixture = new();

    [Fact]
    public void A_public_method_needs_no_caller()
    {
        var session = new RpcSession("c", _fixture.Time);

        Assert.Null(AuthCheck.Check(_fixture.Method("hello"), session));
    }

    [Fact]
    public void Without_a_credential_a_method_with_a_role_gets_authentication_required()
    {
        var session = new RpcSession("c", _fixture.Time);

        var error = AuthCheck.Check(_fixture.Method("look"), session);

        Assert.Equal(-32001, error!.Code);
        Assert.Contains("'look' needs an authenticated session", (string)error.Data["details"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expired_credential_gets_authentication_required_saying_so()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var session = new RpcSession("c", time);
        session.SignIn(new AuthenticatedUser("u", Role.Admin, time.GetUtcNow().AddMinutes(1), "jwt"));
        Assert.Null(AuthCheck.Check(_fixture.Method("configure"), session));

        time.Advance(TimeSpan.FromMinutes(2));
        var error = AuthCheck.Check(_fixture.Method("configure"), session);

        Assert.Equal(-32001, error!.Code);
        Assert.Contains("expired", (string)error.Data["details"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("viewer", "look", null)]
    [InlineData("viewer", "change", "operator")]
    [InlineData("operator", "change", null)]
    [InlineData("operator", "configure", "admin")]
    [InlineData("admin", "configure", null)]
    public void A_role_below_the_declared_one_gets_permission_denied(string caller, string method, string? required)
    {
        RoleExtensions.TryParse(caller, out var role);
        var session = new RpcSession("c", _fixture.Time);
        session.SignIn(new AuthenticatedUser("u", role, null, "api_key"));

        var error = AuthCheck.Check(_fixture.Method(method), session);

        if (required is null)
        {
            Assert.Null(error);
            return;
        }

        Assert.Equal(-32002, error!.Code);
        Assert.Equal(required, error.Data["required_role"]);
        Assert.Equal(role.ToWire(), error.Data["have_role"]);
    }
}

using VideoSensor.Api.JsonRpc.Pipeline;
using VideoSensor.Security;

namespace VideoSensor.Tests.Api.Pipeline;

/// <summary>The steps composed: their order decides which error a message with several faults gets.</summary>
public sealed class RpcPipelineTests
{
    [Fact]
    public async Task A_good_request_is_dispatched_with_the_object_the_params_step_bound_and_the_method_gets_that_object()
    {
        var fixture = new PipelineFixture(role: Role.Operator);

        var admission = fixture.Admit("{\"jsonrpc\":\"2.0\",\"method\":\"change\",\"params\":{\"device\":\"test0\",\"count\":2},\"id\":5}");

        Assert.Equal(AdmissionKind.Dispatch, admission.Kind);
        Assert.Equal("5", admission.Id.ToString());
        var bound = Assert.IsType<EchoParams>(admission.Request);
        var group = new PipelineTestMethods();
        var result = await admission.Method!.Invoke(group, admission.Request, TestContext.Current.CancellationToken);
        Assert.Same(bound, group.LastRequest);
        Assert.Equal(new EchoResult("test0", 2), result);
    }

    [Fact]
    public void Rate_comes_before_shape_errors_are_answered_and_every_frame_spends_the_budget()
    {
        var fixture = new PipelineFixture(burst: 2);

        var first = fixture.Admit("{not json");
        var second = fixture.Admit("[1]");
        var third = fixture.Admit("{not json either");

        Assert.Equal(-32700, first.Error!.Code);
        Assert.Equal(-32600, second.Error!.Code);
        Assert.Equal(-32040, third.Error!.Code);
        Assert.Equal(AdmissionKind.Reply, third.Kind);
    }

    [Fact]
    public void A_notification_over_the_budget_is_dropped_and_a_request_over_it_is_answered_with_its_id()
    {
        var fixture = new PipelineFixture(burst: 1);
        fixture.Admit("{\"jsonrpc\":\"2.0\",\"method\":\"hello\",\"id\":1}");

        var notification = fixture.Admit("{\"jsonrpc\":\"2.0\",\"method\":\"hello\"}");
        var request = fixture.Admit("{\"jsonrpc\":\"2.0\",\"method\":\"hello\",\"id\":\"r\"}");

        Assert.Equal(AdmissionKind.Drop, notification.Kind);
        Assert.Equal((AdmissionKind.Reply, -32040, "\"r\""), (request.Kind, request.Error!.Code, request.Id.ToString()));
    }

    [Fact]
    public void Auth_comes_before_params_so_a_caller_without_the_role_learns_nothing_about_them()
    {
        var anonymous = new PipelineFixture();
        var viewer = new PipelineFixture(role: Role.Viewer);
        const string message = "{\"jsonrpc\":\"2.0\",\"method\":\"change\",\"params\":{\"count\":\"x\"},\"id\":1}";

        Assert.Equal(-32001, anonymous.Admit(message).Error!.Code);
        Assert.Equal(-32002, viewer.Admit(message).Error!.Code);
        Assert.Equal(-32602, new PipelineFixture(role: Role.Admin).Admit(message).Error!.Code);
    }

    [Fact]
    public void A_failed_notification_is_dropped_but_a_malformed_one_is_answered_with_id_null()
    {
        var fixture = new PipelineFixture();

        var unknown = fixture.Admit("{\"jsonrpc\":\"2.0\",\"method\":\"no_such\"}");
        var denied = fixture.Admit("{\"jsonrpc\":\"2.0\",\"method\":\"look\"}");
        var malformed = fixture.Admit("{\"jsonrpc\":\"2.0\",\"method\":42}");

        Assert.Equal(AdmissionKind.Drop, unknown.Kind);
        Assert.Equal(AdmissionKind.Drop, denied.Kind);
        Assert.Equal((AdmissionKind.Reply, -32600, "null"), (malformed.Kind, malformed.Error!.Code, malformed.Id.ToString()));
    }

    [Fact]
    public void A_method_without_params_ignores_what_is_sent_and_one_with_params_binds_none_as_defaults()
    {
        var fixture = new PipelineFixture(role: Role.Viewer);

        var look = fixture.Admit("{\"jsonrpc\":\"2.0\",\"method\":\"look\",\"params\":{\"anything\":1},\"id\":1}");
        var change = new PipelineFixture(role: Role.Operator).Admit("{\"jsonrpc\":\"2.0\",\"method\":\"change\",\"id\":2}");

        Assert.Equal((AdmissionKind.Dispatch, (object?)null), (look.Kind, look.Request));
        Assert.Equal((-32602, "device", "required"), (change.Error!.Code, change.Error.Data["param"], change.Error.Data["rule"]));
    }
}

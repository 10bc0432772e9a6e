using System.Text.Json;
using VideoSensor.Api.JsonRpc;
using VideoSensor.Api.JsonRpc.Pipeline;

namespace VideoSensor.Tests.Api.Pipeline;

/// <summary>Step 4, params: bound once from the declared request type and validated; each failure names the param and its rule.</summary>
public sealed class ParamsBindingTests
{
    private readonly ParamsBinding _binding = ParamsBinding.For(typeof(EchoParams), PipelineTestJson.Default.Options);

    [Theory]
    [InlineData("{}", "device", "required")]
    [InlineData(null, "device", "required")]
    [InlineData("{\"count\":3}", "device", "required")]
    [InlineData("{\"device\":null}", "device", "not null")]
    [InlineData("{\"device\":42}", "device", "type")]
    [InlineData("{\"device\":\"test0\",\"count\":\"three\"}", "count", "type")]
    [InlineData("{\"device\":\"test0\",\"count\":1.5}", "count", "type")]
    [InlineData("{\"device\":\"test0\",\"tags\":[\"a\",null]}", "tags", "a list without nulls")]
    [InlineData("{\"device\":\"test0\",\"tags\":{\"a\":1}}", "tags", "type")]
    [InlineData("{\"device\":\"\\ud800\"}", "device", "type")]
    [InlineData("{\"device\":\"../etc\"}", "device", VideoSensor.Requests.RequestRules.DeviceRule)]
    [InlineData("{\"device\":\"test0\",\"count\":11}", "count", "an integer from 1 to 10")]
    public void Bad_params_get_invalid_params_naming_the_param_and_rule(string? json, string param, string rule)
    {
        using var document = json is null ? null : JsonDocument.Parse(json);

        var error = _binding.TryBind(document?.RootElement, out var request);

        Assert.NotNull(error);
        Assert.Equal(-32602, error.Code);
        Assert.Equal(param, error.Data["param"]);
        Assert.Equal(rule, error.Data["rule"]);
        Assert.True(request is null or EchoParams);
    }

    [Fact]
    public void Good_params_bind_to_the_declared_type_ignoring_the_case_of_names_and_unknown_members()
    {
        using var document = JsonDocument.Parse("{\"DEVICE\":\"test0\",\"count\":4,\"tags\":[\"a\"],\"extra\":true}");

        var error = _binding.TryBind(document.RootElement, out var request);

        Assert.Null(error);
        var bound = Assert.IsType<EchoParams>(request);
        Assert.Equal(("test0", 4, "a"), (bound.Device, bound.Count, bound.Tags![0]));
    }
}

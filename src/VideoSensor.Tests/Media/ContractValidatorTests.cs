using System.Text.Json;
using VideoSensor.Tests.Media.Contract;

namespace VideoSensor.Tests.Media;

/// <summary>The contract double is only as good as its validator: it must reject what MediaMTX rejects.</summary>
public sealed class ContractValidatorTests
{
    private static readonly SchemaValidator Validator = new(OpenApiSpec.MediaMtx);

    private static IReadOnlyList<string> Check(string json, string schema) =>
        Validator.Validate(JsonDocument.Parse(json).RootElement, OpenApiSpec.MediaMtx.Resolve($"#/components/schemas/{schema}"));

    [Fact]
    public void Valid_path_config_passes()
    {
        Assert.Empty(Check("""{"source":"rtsp://u:p@cam/x","rtspTransport":"tcp","sourceOnDemand":false,"maxReaders":3}""", "PathConf"));
    }

    [Fact]
    public void Unknown_field_is_an_error_like_in_MediaMTX()
    {
        var errors = Check("""{"source":"publisher","sourceURL":"x"}""", "PathConf");
        Assert.Contains(errors, e => e.Contains("unknown field 'sourceURL'", StringComparison.Ordinal));
    }

    [Fact]
    public void Wrong_types_and_enum_values_are_errors()
    {
        var errors = Check("""{"sourceOnDemand":"yes","maxReaders":1.5,"rtspTransport":"quic"}""", "PathConf");
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void References_nested_in_arrays_and_allOf_are_followed()
    {
        Assert.Empty(Check("""{"itemCount":1,"pageCount":1,"items":[{"name":"a","ready":true,"source":{"type":"rtspSession","id":"1"},"readers":[{"type":"webRTCSession","id":"2"}],"readyTime":null}]}""", "PathList"));
        var errors = Check("""{"items":[{"source":{"type":"carrierPigeon"},"readers":[{"kind":"x"}]}]}""", "PathList");
        Assert.Contains(errors, e => e.Contains("carrierPigeon", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("unknown field 'kind'", StringComparison.Ordinal));
    }

    [Fact]
    public void Operations_are_found_by_concrete_path()
    {
        var add = OpenApiSpec.MediaMtx.FindOperation("POST", "/v3/config/paths/add/cam1");
        Assert.NotNull(add);
        Assert.NotNull(OpenApiSpec.RequestSchema(add));
        Assert.True(OpenApiSpec.Documents(add, 400));
        Assert.False(OpenApiSpec.Documents(add, 404));
        Assert.Null(OpenApiSpec.MediaMtx.FindOperation("PUT", "/v3/config/paths/add/cam1"));
    }
}

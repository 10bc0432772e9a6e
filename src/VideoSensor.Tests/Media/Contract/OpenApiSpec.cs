using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace VideoSensor.Tests.Media.Contract;

/// <summary>An OpenAPI 3.0 document loaded from YAML, with lookup of operations by method and concrete path.</summary>
public sealed class OpenApiSpec
{
    private readonly JsonObject _root;

    private OpenApiSpec(JsonObject root) => _root = root;

    public static OpenApiSpec Load(string path)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        return new OpenApiSpec((JsonObject)ToJson(yaml.Documents[0].RootNode)!);
    }

    public static string ContractPath(string file) => Path.Combine(AppContext.BaseDirectory, "Media", "Contract", file);

    public static OpenApiSpec MediaMtx { get; } = Load(ContractPath("mediamtx-openapi.yaml"));

    /// <summary>Resolves a local <c>#/components/...</c> reference.</summary>
    public JsonObject Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"only local $refs are supported: {reference}");
        }

        JsonNode? node = _root;
        foreach (var part in reference[2..].Split('/'))
        {
            node = node?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
        }

        return node as JsonObject ?? throw new KeyNotFoundException($"unresolved $ref {reference}");
    }

    /// <summary>The operation for a method and a concrete path like <c>/v3/config/paths/add/cam1</c>, or null.</summary>
    public JsonObject? FindOperation(string method, string path)
    {
        var paths = (JsonObject)_root["paths"]!;
        var segments = path.Split('/');
        foreach (var (template, item) in paths)
        {
            var parts = template.Split('/');
            if (parts.Length != segments.Length)
            {
                continue;
            }

            var match = parts.Zip(segments).All(p => p.First.StartsWith('{') || p.First == p.Second);
            if (match && item?[method.ToLowerInvariant()] is JsonObject operation)
            {
                return operation;
            }
        }

        return null;
    }

    /// <summary>The JSON schema of the request body, or null when the operation takes none.</summary>
    public static JsonObject? RequestSchema(JsonObject operation) =>
        operation["requestBody"]?["content"]?["application/json"]?["schema"] as JsonObject;

    public static bool RequestRequired(JsonObject operation) =>
        operation["requestBody"]?["required"]?.GetValue<bool>() ?? false;

    /// <summary>The response schema for a status code, or null when the spec does not document that status.</summary>
    public static JsonObject? ResponseSchema(JsonObject operation, int status) =>
        operation["responses"]?[status.ToString(CultureInfo.InvariantCulture)]?["content"]?["application/json"]?["schema"] as JsonObject;

    public static bool Documents(JsonObject operation, int status) =>
        operation["responses"]?[status.ToString(CultureInfo.InvariantCulture)] is not null;

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    /// <summary>YAML 1.2 core schema for plain scalars; quoted scalars are always strings ("no" stays "no").</summary>
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            _ => JsonValue.Create(text),
        };
    }
}

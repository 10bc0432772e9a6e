using System.Collections;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace VideoSensor.Configuration;

/// <summary>
/// Checks raw configuration keys against the option classes, by the names the binder uses
/// (<see cref="ConfigurationKeyNameAttribute"/>): keys no property reads (a typo never silently does
/// nothing), values the binder could not convert, and a value where a section or list belongs (or the
/// reverse). It reports every such key at once; the caller binds without them so the value rules can run too.
/// The option classes are read from <see cref="OptionsShapes"/>, so the check works the same under trimming.
/// </summary>
internal static class ConfigSchema
{
    public static IEnumerable<string> UnknownKeys(Type type, IConfiguration section) =>
        Problems(type, section).Where(p => p.Message == UnknownKey).Select(p => p.Key);

    public const string UnknownKey = "unknown key";

    public static IEnumerable<ConfigProblem> Problems(Type type, IConfiguration section, string prefix = "")
    {
        var shape = OptionsShapes.Of(type);
        foreach (var child in section.GetChildren())
        {
            var property = shape.ForKey(child.Key);
            var name = property is null ? child.Key : property.Key;
            var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
            if (property is null)
            {
                yield return new ConfigProblem(path, UnknownKey);
                continue;
            }

            foreach (var problem in Check(property.Info.PropertyType, child, path))
            {
                yield return problem;
            }
        }
    }

    private static IEnumerable<ConfigProblem> Check(Type type, IConfigurationSection section, string path)
    {
        // The binder reads an empty value as null for a nullable property.
        if (Nullable.GetUnderlyingType(type) is { } underlying && section.Value is "")
        {
            return [];
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        var hasChildren = section.GetChildren().Any();
        if (IsScalar(type))
        {
            if (hasChildren)
            {
                return [new ConfigProblem(path, "must be a single value, not a section or a list")];
            }

            return section.Value is { } value && !Converts(type, value) ? [new ConfigProblem(path, $"must be {Describe(type)}")] : [];
        }

        if (section.Value is { Length: > 0 } && !hasChildren)
        {
            return [new ConfigProblem(path, DictionaryValueType(type) is not null || ElementType(type) is null ? "must be a section (key: value lines below it)" : "must be a list")];
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            return section.GetChildren().SelectMany(item => Check(valueType, item, $"{path}.{item.Key}"));
        }

        if (typeof(IDictionary).IsAssignableFrom(type))
        {
            return [];
        }

        if (ElementType(type) is { } element)
        {
            return section.GetChildren().SelectMany(item => Check(element, item, $"{path}.{item.Key}"));
        }

        return Problems(type, section, path);
    }

    /// <summary>
    /// Whether the text is a value of the type. The generated binder parses with these same calls (invariant culture);
    /// an empty value, which it would skip, is refused as before: it is a value of no number, flag or duration.
    /// </summary>
    private static bool Converts(Type type, string value)
    {
        const NumberStyles Integer = NumberStyles.Integer;
        const NumberStyles Float = NumberStyles.Float;
        var invariant = CultureInfo.InvariantCulture;
        return type == typeof(string)
            || (type == typeof(Uri) ? Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out _)
            : type.IsEnum ? Enum.TryParse(type, value, ignoreCase: true, out _)
            : type == typeof(bool) ? bool.TryParse(value, out _)
            : type == typeof(int) ? int.TryParse(value, Integer, invariant, out _)
            : type == typeof(long) ? long.TryParse(value, Integer, invariant, out _)
            : type == typeof(short) ? short.TryParse(value, Integer, invariant, out _)
            : type == typeof(uint) ? uint.TryParse(value, Integer, invariant, out _)
            : type == typeof(ulong) ? ulong.TryParse(value, Integer, invariant, out _)
            : type == typeof(ushort) ? ushort.TryParse(value, Integer, invariant, out _)
            : type == typeof(byte) ? byte.TryParse(value, Integer, invariant, out _)
            : type == typeof(double) ? double.TryParse(value, Float, invariant, out _)
            : type == typeof(float) ? float.TryParse(value, Float, invariant, out _)
            : type == typeof(decimal) ? decimal.TryParse(value, Float, invariant, out _)
            : type == typeof(TimeSpan) ? TimeSpan.TryParse(value, invariant, out _)
            : throw new NotSupportedException($"option values of type {type.Name} are not checked: add it to ConfigSchema.Converts"));
    }

    private static string Describe(Type type) =>
        type == typeof(bool) ? "true or false"
        : type == typeof(int) || type == typeof(long) || type == typeof(short) ? "a whole number"
        : type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(byte) ? "a whole number of 0 or more"
        : type == typeof(double) || type == typeof(float) || type == typeof(decimal) ? "a number"
        : type == typeof(TimeSpan) ? "a duration like 00:00:30"
        : type == typeof(Uri) ? "a URL"
        : type.IsEnum ? $"one of {string.Join(", ", Enum.GetNames(type))}"
        : $"a valid {type.Name}";

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri);
    }

    /// <summary>The value type of a dictionary property (declared as one of the dictionary types the binder fills).</summary>
    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))
            ? type.GetGenericArguments()[1]
            : null;

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0]
        : null;
}

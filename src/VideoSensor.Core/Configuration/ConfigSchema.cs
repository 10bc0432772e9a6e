using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace VideoSensor.Configuration;

/// <summary>
/// Checks raw configuration keys against the option classes, by the names the binder uses
/// (<see cref="ConfigurationKeyNameAttribute"/>): keys no property reads (a typo never silently does
/// nothing), values the binder could not convert, and a value where a section or list belongs (or the
/// reverse). It reports every such key at once; the caller binds without them so the value rules can run too.
/// </summary>
internal static class ConfigSchema
{
    public static IEnumerable<string> UnknownKeys(Type type, IConfiguration section) =>
        Problems(type, section).Where(p => p.Message == UnknownKey).Select(p => p.Key);

    public const string UnknownKey = "unknown key";

    public static IEnumerable<ConfigProblem> Problems(Type type, IConfiguration section, string prefix = "")
    {
        foreach (var child in section.GetChildren())
        {
            var property = FindProperty(type, child.Key);
            var name = property is null ? child.Key : KeyOf(property);
            var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
            if (property is null)
            {
                yield return new ConfigProblem(path, UnknownKey);
                continue;
            }

            foreach (var problem in Check(property.PropertyType, child, path))
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

    /// <summary>Whether the binder can turn the text into the type (it uses the same type converters).</summary>
    private static bool Converts(Type type, string value)
    {
        if (type == typeof(string))
        {
            return true;
        }

        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromString(null, CultureInfo.InvariantCulture, value);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException or OverflowException || ex.InnerException is FormatException or OverflowException)
        {
            return false;
        }
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

    private static PropertyInfo? FindProperty(Type type, string key) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p => string.Equals(KeyOf(p), key, StringComparison.OrdinalIgnoreCase));

    private static string KeyOf(PropertyInfo property) => property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri);
    }

    private static Type? DictionaryValueType(Type type) =>
        type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>))?.GetGenericArguments()[1];

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0]
        : null;
}

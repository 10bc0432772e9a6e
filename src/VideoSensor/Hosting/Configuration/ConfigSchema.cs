using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace VideoSensor.Hosting.Configuration;

/// <summary>
/// Finds configuration keys that no option property reads, by the same names the binder uses
/// (<see cref="ConfigurationKeyNameAttribute"/>), so a typo never silently does nothing.
/// </summary>
internal static class ConfigSchema
{
    public static IEnumerable<string> UnknownKeys(Type type, IConfiguration section, string prefix = "")
    {
        foreach (var child in section.GetChildren())
        {
            var path = prefix.Length == 0 ? child.Key : $"{prefix}.{child.Key}";
            var property = FindProperty(type, child.Key);
            if (property is null)
            {
                yield return path;
                continue;
            }

            foreach (var nested in Check(property.PropertyType, child, path))
            {
                yield return nested;
            }
        }
    }

    private static IEnumerable<string> Check(Type type, IConfigurationSection section, string path)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(type) || typeof(IDictionary).IsAssignableFrom(type) || IsGenericDictionary(type))
        {
            return [];
        }

        if (ElementType(type) is { } element)
        {
            return section.GetChildren().SelectMany(item => IsScalar(element) ? [] : UnknownKeys(element, item, $"{path}.{item.Key}"));
        }

        return UnknownKeys(type, section, path);
    }

    private static PropertyInfo? FindProperty(Type type, string key) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p =>
            string.Equals(p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? p.Name, key, StringComparison.OrdinalIgnoreCase));

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri);

    private static bool IsGenericDictionary(Type type) =>
        type.IsGenericType && type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0]
        : null;
}

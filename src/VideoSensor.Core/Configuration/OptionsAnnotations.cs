using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace VideoSensor.Configuration;

/// <summary>
/// The rules written on the option classes (validation attributes and <see cref="IValidatableObject"/>),
/// walked through every section, list item and nested object, with the YAML key path of each failing member.
/// </summary>
internal static class OptionsAnnotations
{
    public static IEnumerable<ConfigProblem> Validate(object section, string prefix = "")
    {
        var context = new ValidationContext(section);
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(section, context, results, validateAllProperties: true);

        // The validator skips an object's own rules (duplicate ids, required-unless…) while any property
        // fails; run them anyway so every problem shows in one pass.
        if (results.Count > 0 && section is IValidatableObject validatable)
        {
            results.AddRange(validatable.Validate(context).Where(own => !results.Any(r =>
                r.ErrorMessage == own.ErrorMessage && r.MemberNames.SequenceEqual(own.MemberNames))));
        }

        foreach (var result in results)
        {
            var member = result.MemberNames.FirstOrDefault();
            yield return new ConfigProblem(Join(prefix, member is null ? "" : KeyOf(section.GetType(), member)), Clean(result.ErrorMessage, member));
        }

        foreach (var property in section.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || !property.CanRead)
            {
                continue;
            }

            var value = property.GetValue(section);
            if (value is null or string or IDictionary || property.PropertyType.IsPrimitive || property.PropertyType.IsEnum)
            {
                continue;
            }

            var key = Join(prefix, KeyOf(property));
            if (value is IEnumerable items)
            {
                var index = 0;
                foreach (var item in items)
                {
                    if (item is not null && item is not string && !item.GetType().IsPrimitive)
                    {
                        foreach (var nested in Validate(item, $"{key}.{index}"))
                        {
                            yield return nested;
                        }
                    }

                    index++;
                }

                continue;
            }

            if (property.PropertyType.IsClass)
            {
                foreach (var nested in Validate(value, key))
                {
                    yield return nested;
                }
            }
        }
    }

    private static string KeyOf(Type type, string member) =>
        type.GetProperty(member) is { } p ? KeyOf(p) : member;

    private static string KeyOf(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;

    private static string Join(string prefix, string key) =>
        prefix.Length == 0 ? key : key.Length == 0 ? prefix : $"{prefix}.{key}";

    /// <summary>The attributes' default wording names the C# property ("The field Port must be …"); the line already names the key.</summary>
    private static string Clean(string? message, string? member)
    {
        var text = (message ?? "is invalid").Replace("The field ", "", StringComparison.Ordinal);
        if (member is not null)
        {
            text = text.Replace($"The {member} field is required.", "is required", StringComparison.Ordinal);
            if (text.StartsWith(member + " ", StringComparison.Ordinal))
            {
                text = text[(member.Length + 1)..].TrimEnd('.');
            }
        }

        return text;
    }
}

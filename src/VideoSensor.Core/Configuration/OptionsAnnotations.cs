using System.Collections;
using System.ComponentModel.DataAnnotations;

namespace VideoSensor.Configuration;

/// <summary>
/// The rules written on the option classes (validation attributes and <see cref="IValidatableObject"/>),
/// walked through every section, list item and nested object, with the YAML key path of each failing member.
/// </summary>
/// <remarks>
/// Checks what <c>Validator.TryValidateObject(validateAllProperties: true)</c> checks — each property's attributes
/// (<see cref="RequiredAttribute"/> first, the others only when it passes), then the object's own rules — but reads
/// the classes from <see cref="OptionsShapes"/> instead of discovering them by reflection, so trimming keeps them.
/// The object's own rules run even when a property fails (the validator skips them then), so every problem shows in one pass.
/// </remarks>
internal static class OptionsAnnotations
{
    public static IEnumerable<ConfigProblem> Validate(object section, string prefix = "")
    {
        var shape = OptionsShapes.Of(section.GetType());
        var results = new List<ValidationResult>();
        foreach (var property in shape.Properties.Where(p => p.Rules.Count > 0))
        {
            // A display name given makes the context trim-safe (none would be looked up by reflection); it is the
            // member's name, as the validator would have found it, so the attributes' wording is unchanged.
            var context = new ValidationContext(section, property.Info.Name, serviceProvider: null, items: null) { MemberName = property.Info.Name };
            Validator.TryValidateValue(property.Info.GetValue(section)!, context, results, property.Rules);
        }

        if (section is IValidatableObject validatable)
        {
            var own = validatable.Validate(new ValidationContext(section, shape.Type.Name, serviceProvider: null, items: null))
                .Where(r => r != ValidationResult.Success);
            results.AddRange(results.Count == 0 ? own : own.Where(o => !results.Any(r => r.ErrorMessage == o.ErrorMessage && r.MemberNames.SequenceEqual(o.MemberNames))));
        }

        foreach (var result in results)
        {
            var member = result.MemberNames.FirstOrDefault();
            yield return new ConfigProblem(Join(prefix, member is null ? "" : shape.ForMember(member)?.Key ?? member), Clean(result.ErrorMessage, member));
        }

        foreach (var property in shape.Properties)
        {
            var value = property.Info.GetValue(section);
            var type = property.Info.PropertyType;
            if (value is null or string or IDictionary || type.IsPrimitive || type.IsEnum)
            {
                continue;
            }

            var key = Join(prefix, property.Key);
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

            if (type.IsClass)
            {
                foreach (var nested in Validate(value, key))
                {
                    yield return nested;
                }
            }
        }
    }

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

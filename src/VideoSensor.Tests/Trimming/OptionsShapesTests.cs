using System.Collections;
using System.Reflection;
using VideoSensor.Configuration;

namespace VideoSensor.Tests.Trimming;

/// <summary>OptionsShapes lists every option class the configuration reaches, so none is walked without its properties.</summary>
public sealed class OptionsShapesTests
{
    [Fact]
    public void Every_class_reachable_from_the_configuration_is_listed()
    {
        var reached = new HashSet<Type>();
        Reach(typeof(SensorOptions), reached);

        Assert.Empty(reached.Except(OptionsShapes.Types).Select(t => t.FullName));
        Assert.Empty(OptionsShapes.Types.Except(reached).Select(t => t.FullName));
    }

    [Fact]
    public void A_class_that_is_not_listed_is_named_not_silently_skipped()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => OptionsAnnotations.Validate(new Unlisted()).ToList());

        Assert.Contains(typeof(Unlisted).FullName!, ex.Message, StringComparison.Ordinal);
    }

    private static void Reach(Type type, HashSet<Type> reached)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || !type.IsClass)
        {
            return;
        }

        if (typeof(IEnumerable).IsAssignableFrom(type))
        {
            foreach (var argument in type.IsArray ? [type.GetElementType()!] : type.GetGenericArguments())
            {
                Reach(argument, reached);
            }

            return;
        }

        if (reached.Add(type))
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                Reach(property.PropertyType, reached);
            }
        }
    }

    private sealed class Unlisted
    {
        public int Value { get; set; }
    }
}

using System.Globalization;
using System.Text.Json;

namespace VideoSensor.Bench;

/// <summary>Prints one JSON line per measured figure, with the floor it is compared against and the ratio.</summary>
internal static class BenchReport
{
    /// <param name="build">Which build or server the figure is of, where one run measures several (jit, native, compare).</param>
    public static void Print(string bench, string metric, double value, string unit, double? floor = null, string? build = null)
    {
        var ratio = floor is > 0 ? Math.Round(value / floor.Value, 3) : (double?)null;
        var fields = new Dictionary<string, object?> { ["bench"] = bench };
        if (build is not null)
        {
            fields["build"] = build;
        }

        var line = JsonSerializer.Serialize(new Dictionary<string, object?>(fields)
        {
            ["metric"] = metric,
            ["value"] = Math.Round(value, 3),
            ["unit"] = unit,
            ["floor"] = floor is null ? null : Math.Round(floor.Value, 3),
            ["ratio"] = ratio,
        });
        Console.WriteLine(line);
    }

    /// <summary>The p-th percentile (0–100) of a sample, by nearest rank.</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}

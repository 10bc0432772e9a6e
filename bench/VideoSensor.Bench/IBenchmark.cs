namespace VideoSensor.Bench;

/// <summary>One benchmark program: measures and prints its figures through <see cref="BenchReport"/>.</summary>
internal interface IBenchmark
{
    string Name { get; }
    string Description { get; }
    Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken);
}

using BenchmarkDotNet.Attributes;
using MeanField.Models;

namespace MeanField.Benchmarks;

/// <summary>
/// W1's step (<see cref="W1StepBenchmarks"/>) with the other generated units at the peers' first shape: sigmoid (one
/// kept value, like tanh), softplus and the Gaussian bump (two kept values for one pair channel: their backward pass
/// evaluates no function, specs/performance.md §4), so that a change in what the cache keeps shows up as a row.
/// </summary>
[MemoryDiagnoser]
public class W1ActivationBenchmarks
{
    private IDisposable? flow;
    private Func<double>? step;

    /// <summary>(L, d, n): the peers' first shape.</summary>
    [Params("4096,64,4096")]
    public string Shape { get; set; } = "4096,64,4096";

    /// <summary>The unit.</summary>
    [Params("sigmoid", "softplus", "bump")]
    public string Activation { get; set; } = "softplus";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Shape.Split(',').Select(int.Parse).ToArray();
        (flow, step) = Activation switch
        {
            "sigmoid" => W1StepBenchmarks.Create<SigmoidNetwork>(parts[0], parts[1], parts[2], 2),
            "softplus" => W1StepBenchmarks.Create<SoftplusNetwork>(parts[0], parts[1], parts[2], 2),
            "bump" => W1StepBenchmarks.Create<GaussianBumpNetwork>(parts[0], parts[1], parts[2], 2),
            _ => throw new ArgumentOutOfRangeException(nameof(Activation), Activation, "sigmoid, softplus or bump"),
        };
        step();
    }

    [Benchmark]
    public double Step() => step!();

    [GlobalCleanup]
    public void Cleanup() => flow?.Dispose();
}

using BenchmarkDotNet.Attributes;
using MeanField.Dgm;
using MeanField.Models;

namespace MeanField.Benchmarks;

/// <summary>
/// The Deep Galerkin variants at the PyTorch peer's sizes (d = 10, width 100, depth 3, batch 1000; specs/dgm.md §5.6,
/// §5.8): one forward + reverse pass of the gated network (against <see cref="DgmBenchmarks.NetworkForwardReverse"/>,
/// the MLP's), and one finite-horizon training step (time as an input, 1000 interior + 2 × 250 boundary points) on the
/// generated d = 10 game with its default data (m₀ = 1, g = 0), one thread.
/// </summary>
[MemoryDiagnoser]
public class DgmVariantsBenchmarks
{
    private const int D = 10;
    private GatedLaplacianNetwork _gated = null!;
    private FiniteHorizonDgmTrainer<ExplicitErgodicGame10D> _finiteHorizon = null!;
    private double[] _points = [], _value = [], _gradient = [], _laplacian = [], _parameterGradient = [];

    /// <summary>"width,depth,batch" of the networks (d = 10 from the game).</summary>
    [Params("100,3,1000")]
    public string Shape { get; set; } = "100,3,1000";

    [GlobalSetup]
    public void Setup()
    {
        int[] shape = [.. Shape.Split(',').Select(int.Parse)];
        (int width, int depth, int batch) = (shape[0], shape[1], shape[2]);
        _gated = new GatedLaplacianNetwork(D, width, depth, InputEmbedding.Periodic, hasTime: false, seed: 1);
        var random = new Random(2);
        _points = [.. Enumerable.Range(0, batch * D).Select(_ => random.NextDouble())];
        _value = new double[batch];
        _gradient = new double[batch * D];
        _laplacian = new double[batch];
        _parameterGradient = new double[_gated.ParameterCount];
        GatedForwardReverse();
        _finiteHorizon = new FiniteHorizonDgmTrainer<ExplicitErgodicGame10D>(1, width, depth, batch, seed: 0);
        _finiteHorizon.Step();
    }

    /// <summary>The gated network's forward pass (value, ∇ₓu, Δₓu) and its reverse pass with unit adjoints.</summary>
    [Benchmark]
    public double GatedForwardReverse()
    {
        _gated.Forward(_points, [], _value, _gradient, _laplacian, []);
        _gated.Backward(_value, _gradient, _laplacian, [], _parameterGradient);
        return _parameterGradient[0];
    }

    /// <summary>One finite-horizon training step (both networks with time, the residuals with ∂ₜ, the boundary terms, Adam).</summary>
    [Benchmark]
    public double FiniteHorizonTrainerStep() => _finiteHorizon.Step();
}

using BenchmarkDotNet.Attributes;
using MeanField.Dgm;
using MeanField.Models;

namespace MeanField.Benchmarks;

/// <summary>
/// Issue 11's speed workload (specs/dgm.md §6.3): one training step of <see cref="ErgodicDgmTrainer{TGame}"/> on the
/// generated d = 10 explicit game at the PyTorch peer's sizes (<c>dgm_torch.py</c>: two tanh networks
/// 20 → 100 → 100 → 100 → 1, batch 1000, float64), on 1 and 2 threads; and one network's forward pass with ∇u and Δu and
/// its forward + reverse pass, whose ratio is the cost of the reverse pass, and its values-only pass (the cost of ∇u and
/// Δu is the forward pass over it); and the forward + reverse pass with one weighted Laplacian
/// (a Hamiltonian with one anisotropic direction, specs/dgm.md §5.1) and with d − 1 = 9 (the whole Hessian diagonal).
/// </summary>
[MemoryDiagnoser]
public class DgmBenchmarks
{
    private ErgodicDgmTrainer<ExplicitErgodicGame10D> _trainer = null!;
    private LaplacianNetwork _network = null!, _oneWeighted = null!, _fullDiagonal = null!;
    private double[] _weighted = [];
    private double[] _points = [], _value = [], _gradient = [], _laplacian = [], _parameterGradient = [];

    /// <summary>"width,depth,batch" of the networks (d = 10 from the game).</summary>
    [Params("100,3,1000")]
    public string Shape { get; set; } = "100,3,1000";

    /// <summary>Threads of the trainer (2: v's network beside u's).</summary>
    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        int[] shape = [.. Shape.Split(',').Select(int.Parse)];
        (int width, int depth, int batch) = (shape[0], shape[1], shape[2]);
        _trainer = new ErgodicDgmTrainer<ExplicitErgodicGame10D>(width, depth, batch, seed: 0, threads: Threads);
        _trainer.Step();
        const int d = 10;
        _network = new LaplacianNetwork(d, width, depth, InputEmbedding.Periodic, hasTime: false, seed: 1);
        var random = new Random(2);
        _points = [.. Enumerable.Range(0, batch * d).Select(_ => random.NextDouble())];
        _value = new double[batch];
        _gradient = new double[batch * d];
        _laplacian = new double[batch];
        _parameterGradient = new double[_network.ParameterCount];

        // Directions as the trainer uses them (specs/dgm.md §5.1): one orthonormal row ⊥ (1, …, 1), here (1, −1, 0, …)/√2
        // (dense rows cost d terms each in the jets); for the whole diagonal the unit vectors e_0 … e_{d−2} (one term each).
        double[] one = new double[d];
        one[0] = 1 / Math.Sqrt(2);
        one[1] = -1 / Math.Sqrt(2);
        double[] units = new double[(d - 1) * d];
        for (int r = 0; r < d - 1; r++)
        {
            units[(r * d) + r] = 1;
        }

        _oneWeighted = new LaplacianNetwork(d, width, depth, InputEmbedding.Periodic, hasTime: false, seed: 1, one);
        _fullDiagonal = new LaplacianNetwork(d, width, depth, InputEmbedding.Periodic, hasTime: false, seed: 1, units);
        _weighted = new double[(d - 1) * batch];
        NetworkForwardReverse();
        NetworkForwardReverseOneWeighted();
        NetworkForwardReverseFullDiagonal();
    }

    /// <summary>One training step: both networks forward and reverse, the residuals and their Jacobian, Adam.</summary>
    [Benchmark]
    public double TrainerStep() => _trainer.Step();

    /// <summary>One network's forward pass with ∇ₓu and Δₓu (one thread).</summary>
    [Benchmark]
    public double NetworkForward()
    {
        _network.Forward(_points, [], _value, _gradient, _laplacian, []);
        return _laplacian[0];
    }

    /// <summary>
    /// One network's values-only pass over the same points (one thread; specs/dgm.md §2.5): the forward pass of read-outs,
    /// and the denominator of the cost of ∇u and Δu (<see cref="NetworkForward"/> over this).
    /// </summary>
    [Benchmark]
    public double NetworkForwardValues()
    {
        _network.ForwardValues(_points, [], _value);
        return _value[0];
    }

    /// <summary>One network's forward pass and its reverse pass with unit adjoints (one thread).</summary>
    [Benchmark]
    public double NetworkForwardReverse()
    {
        _network.Forward(_points, [], _value, _gradient, _laplacian, []);
        _network.Backward(_value, _gradient, _laplacian, [], _parameterGradient);
        return _parameterGradient[0];
    }

    /// <summary><see cref="NetworkForwardReverse"/> with one weighted Laplacian (d + 3 channels instead of d + 2).</summary>
    [Benchmark]
    public double NetworkForwardReverseOneWeighted() => ForwardReverse(_oneWeighted);

    /// <summary><see cref="NetworkForwardReverse"/> with d − 1 = 9 weighted Laplacians: the whole Hessian diagonal (2d + 1 channels).</summary>
    [Benchmark]
    public double NetworkForwardReverseFullDiagonal() => ForwardReverse(_fullDiagonal);

    private double ForwardReverse(LaplacianNetwork network)
    {
        Span<double> weighted = _weighted.AsSpan(0, network.WeightedLaplacians * _value.Length);
        network.Forward(_points, [], _value, _gradient, _laplacian, [], weighted);
        network.Backward(_value, _gradient, _laplacian, [], _parameterGradient, weighted);
        return _parameterGradient[0];
    }
}

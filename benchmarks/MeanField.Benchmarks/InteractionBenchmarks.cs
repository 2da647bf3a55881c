using BenchmarkDotNet.Attributes;
using MeanField.Benchmarks.Throughput;
using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Benchmarks;

/// <summary>
/// The n × n interaction step of issue 8: the Wasserstein gradient ∇θ δE/δμ at every particle of the ReLU arc-cosine
/// kernel energy (<see cref="ArcCosine"/>, hand-written until the generator emits it), then the Euler update
/// θ ← θ − η∇V; exact (n² pairs) and Random Batch Method (batches of p, n·p pairs). Reported per step, with allocated
/// bytes, steps/s, GFLOP/s and % of peak (<see cref="ThroughputConfig"/>).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class InteractionBenchmarks : IFlopCounted
{
    private const double StepSize = 1e-3;

    private InteractionEvaluator<ArcCosine>? evaluator;
    private ParticleSet? particles;
    private ParticleSet? gradient;
    private long step;

    /// <summary>n, the number of particles.</summary>
    [Params(8192)]
    public int N { get; set; } = 8192;

    /// <summary>d, the dimension of w.</summary>
    [Params(32)]
    public int D { get; set; } = 32;

    /// <summary>"exact" or "rbm".</summary>
    [Params("exact", "rbm")]
    public string Evaluation { get; set; } = "exact";

    /// <summary>p, the Random Batch Method's batch size (unused by the exact method).</summary>
    [Params(64)]
    public int BatchSize { get; set; } = 64;

    /// <summary>Threads for the reductions.</summary>
    [Params(2)]
    public int Threads { get; set; } = 2;

    /// <summary>The evaluator (for the benchmark's tests).</summary>
    internal InteractionEvaluator<ArcCosine> Evaluator => evaluator!;

    /// <summary>
    /// The floating-point operations one step is credited with: the two d-deep tile products per evaluated pair (the
    /// pair channel w·w′ and the pair part of the gradient, 2 flops per multiply-add each), 4·d per pair. The kernel's
    /// own arithmetic (two acos, square roots, divisions) is not counted, so this is a lower bound, like the W1 figure.
    /// </summary>
    public static double FlopsPerStep(int n, int d, string method, int batchSize) => 4.0 * d * PairsPerStep(n, method, batchSize);

    /// <summary>Pairs per step: n² exact; Σ_b m_b² for the Random Batch Method (batches of p, a remainder of 1 joining the last).</summary>
    public static double PairsPerStep(int n, string method, int batchSize)
    {
        if (method != "rbm" || batchSize >= n)
        {
            return (double)n * n;
        }

        int full = n / batchSize;
        int remainder = n - (full * batchSize);
        return remainder == 1
            ? ((full - 1) * (double)batchSize * batchSize) + ((batchSize + 1.0) * (batchSize + 1.0))
            : (full * (double)batchSize * batchSize) + ((double)remainder * remainder);
    }

    [GlobalSetup]
    public void Setup()
    {
        particles = ArcCosine.Particles(N, D, 1);
        gradient = ParticleSet.Create(ArcCosine.LayoutInstance, N, D);
        evaluator = new InteractionEvaluator<ArcCosine>(new InteractionEvaluatorOptions
        {
            ThreadCount = Threads,
            Method = Evaluation == "rbm" ? InteractionMethod.RandomBatch : InteractionMethod.Exact,
            BatchSize = BatchSize,
            Seed = 1,
        });
        Step();
    }

    /// <summary>One step: the gradient at every particle and the Euler update; returns the energy (estimate).</summary>
    [Benchmark]
    public double Step()
    {
        double energy = evaluator!.Gradient(particles!, gradient!, [], step++);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(gradient!.Values, -StepSize, particles!.Values, particles.Values);
        return energy;
    }

    [GlobalCleanup]
    public void Cleanup() => evaluator?.Dispose();

    /// <inheritdoc/>
    public double FlopsPerOperation => FlopsPerStep(N, D, Evaluation, BatchSize);

    /// <inheritdoc/>
    public int ThreadsUsed(string method) => Threads;
}

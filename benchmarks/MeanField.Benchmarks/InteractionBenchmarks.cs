using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Benchmarks;

/// <summary>
/// The n × n interaction step of issue 8: the Wasserstein gradient ∇θ δE/δμ at every particle of the ReLU arc-cosine
/// kernel energy (<see cref="ArcCosine"/>, hand-written until the generator emits it), then the Euler update
/// θ ← θ − η∇V; exact (n² pairs) and Random Batch Method (batches of p, n·p pairs). Reported per step, with allocated
/// bytes and GFLOP/s (<see cref="GflopsColumn"/>).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ColumnConfig))]
public class InteractionBenchmarks
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

    /// <summary>Adds the GFLOP/s column.</summary>
    private sealed class ColumnConfig : ManualConfig
    {
        public ColumnConfig() => AddColumn(new GflopsColumn());
    }
}

/// <summary>GFLOP/s of an <see cref="InteractionBenchmarks"/> row: <see cref="InteractionBenchmarks.FlopsPerStep"/> / mean time.</summary>
public sealed class GflopsColumn : IColumn
{
    /// <inheritdoc/>
    public string Id => nameof(GflopsColumn);

    /// <inheritdoc/>
    public string ColumnName => "GFLOP/s";

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => 0;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => "4·d flops per evaluated pair (the two tile products) / mean time, in 1e9 per second; a lower bound";

    /// <summary>GFLOP/s from a mean time in nanoseconds.</summary>
    public static double Gflops(double flops, double meanNanoseconds) => flops / meanNanoseconds;

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (mean is not > 0)
        {
            return "-";
        }

        int n = (int)benchmarkCase.Parameters[nameof(InteractionBenchmarks.N)];
        int d = (int)benchmarkCase.Parameters[nameof(InteractionBenchmarks.D)];
        string method = (string)benchmarkCase.Parameters[nameof(InteractionBenchmarks.Evaluation)];
        int p = (int)benchmarkCase.Parameters[nameof(InteractionBenchmarks.BatchSize)];
        return Gflops(InteractionBenchmarks.FlopsPerStep(n, d, method, p), mean.Value).ToString("F2", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

using BenchmarkDotNet.Attributes;
using MeanField.Benchmarks.Peers;
using MeanField.Benchmarks.Throughput;
using MeanField.Benchmarks.Workloads;
using MeanField.Models;

namespace MeanField.Benchmarks;

/// <summary>
/// One W1 step of the tanh network (as <see cref="W1StepBenchmarks"/>) by the generated path and by three hand-written
/// peers (<see cref="W1Peer"/>): scalar loops, delegates over dual numbers, TensorPrimitives one operation at a time.
/// The baseline is <see cref="GradientFlow{TModel}.Step"/> on one thread, like the peers; the generated path on 2 threads
/// is a row too. Small shapes only (L, d, n): the scalar and dual peers would take ~1.3–1.5 s per step at the peers' table's
/// 4096 × 64 × 4096; <see cref="W1PeersLargeBenchmarks"/> runs the generated and TensorPrimitives paths there.
/// Columns: Mean, steps/s, GFLOP/s (4·L·n·d per step, <see cref="W1Flops"/>), % of peak, Allocated.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class W1PeersBenchmarks : IFlopCounted
{
    private readonly W1PeerSet set = new();

    /// <summary>(L, d, n).</summary>
    [Params("256,32,256", "512,64,512")]
    public string Shape { get; set; } = "256,32,256";

    /// <inheritdoc/>
    public double FlopsPerOperation => W1PeerSet.Flops(Shape);

    /// <inheritdoc/>
    public int ThreadsUsed(string method) => method == nameof(Generated2Threads) ? 2 : 1;

    [GlobalSetup]
    public void Setup() => set.Setup(Shape, withSlowPeers: true);

    /// <summary>GradientFlow&lt;TanhNetwork&gt;.Step, 1 thread.</summary>
    [Benchmark(Baseline = true)]
    public double Generated() => set.Generated1!();

    /// <summary>GradientFlow&lt;TanhNetwork&gt;.Step, 2 threads.</summary>
    [Benchmark]
    public double Generated2Threads() => set.Generated2!();

    /// <summary>(a) scalar loops.</summary>
    [Benchmark]
    public double Scalar() => set.Scalar!.Step();

    /// <summary>(b) delegates over dual numbers.</summary>
    [Benchmark]
    public double Dual() => set.Dual!.Step();

    /// <summary>(c) TensorPrimitives.</summary>
    [Benchmark]
    public double Tensors() => set.Tensors!.Step();

    [GlobalCleanup]
    public void Cleanup() => set.Dispose();
}

/// <summary>
/// <see cref="W1PeersBenchmarks"/> at the peers' table's shape 4096 × 64 × 4096 (L, d, n), without the slow scalar and
/// dual peers: the generated path (baseline, 1 thread; and 2 threads) against TensorPrimitives.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class W1PeersLargeBenchmarks : IFlopCounted
{
    private readonly W1PeerSet set = new();

    /// <summary>(L, d, n).</summary>
    [Params("4096,64,4096")]
    public string Shape { get; set; } = "4096,64,4096";

    /// <inheritdoc/>
    public double FlopsPerOperation => W1PeerSet.Flops(Shape);

    /// <inheritdoc/>
    public int ThreadsUsed(string method) => method == nameof(Generated2Threads) ? 2 : 1;

    [GlobalSetup]
    public void Setup() => set.Setup(Shape, withSlowPeers: false);

    /// <summary>GradientFlow&lt;TanhNetwork&gt;.Step, 1 thread.</summary>
    [Benchmark(Baseline = true)]
    public double Generated() => set.Generated1!();

    /// <summary>GradientFlow&lt;TanhNetwork&gt;.Step, 2 threads.</summary>
    [Benchmark]
    public double Generated2Threads() => set.Generated2!();

    /// <summary>(c) TensorPrimitives.</summary>
    [Benchmark]
    public double Tensors() => set.Tensors!.Step();

    [GlobalCleanup]
    public void Cleanup() => set.Dispose();
}

/// <summary>The implementations of one W1 shape, each on its own copy of the W1 particles (step size 0.1), each stepped once.</summary>
internal sealed class W1PeerSet : IDisposable
{
    /// <summary>The step size of W1StepBenchmarks.</summary>
    public const double StepSize = 0.1;

    private readonly List<IDisposable> flows = [];

    public Func<double>? Generated1 { get; private set; }

    public Func<double>? Generated2 { get; private set; }

    public W1Peer? Scalar { get; private set; }

    public W1Peer? Dual { get; private set; }

    public W1Peer? Tensors { get; private set; }

    public static double Flops(string shape)
    {
        var (samples, dimension, particles) = W1Flops.Parse(shape);
        return W1Flops.PerStep(samples, dimension, particles);
    }

    public void Setup(string shape, bool withSlowPeers)
    {
        var (samples, dimension, particles) = W1Flops.Parse(shape);
        Generated1 = Flow(samples, dimension, particles, 1);
        Generated2 = Flow(samples, dimension, particles, 2);
        var data = W1Workload.Samples(samples, dimension);
        var initial = W1Workload.Particles<TanhNetwork>(particles, dimension);
        Tensors = new TensorPrimitivesW1Step(initial, data, StepSize);
        Tensors.Step();
        if (withSlowPeers)
        {
            Scalar = new ScalarW1Step(initial, data, StepSize);
            Dual = new DualW1Step(initial, data, StepSize);
            Scalar.Step();
            Dual.Step();
        }
    }

    private Func<double> Flow(int samples, int dimension, int particles, int threads)
    {
        var (flow, step) = W1StepBenchmarks.Create<TanhNetwork>(samples, dimension, particles, threads);
        flows.Add(flow);
        step();
        return step;
    }

    public void Dispose()
    {
        foreach (var flow in flows)
        {
            flow.Dispose();
        }

        flows.Clear();
    }
}

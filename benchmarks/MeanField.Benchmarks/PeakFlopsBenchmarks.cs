using BenchmarkDotNet.Attributes;
using MeanField.Benchmarks.Throughput;

namespace MeanField.Benchmarks;

/// <summary>
/// The machine's FP64 peak, measured by the suite itself (<see cref="PeakFlops"/>: 12 independent FMA chains on the
/// widest accelerated vector, per thread), on 1 and 2 threads; the GFLOP/s column is the peak. The C reference is
/// <c>peak_fp64.c</c> of ../shared/peers (see benchmarks/README.md). <see cref="PercentOfPeakColumn"/> divides by this
/// benchmark's row when it is in the same summary (<c>--join</c>).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class PeakFlopsBenchmarks : IFlopCounted
{
    /// <summary>Iterations per thread and operation: 2^21 × 192 flops ≈ 0.4 GFLOP per thread with Vector512 (a few ms).</summary>
    public const long Iterations = 1 << 21;

    /// <summary>Threads running the kernel, each its own chains.</summary>
    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    /// <summary>Iterations per thread (smaller in the tests).</summary>
    public long IterationsPerThread { get; set; } = Iterations;

    /// <inheritdoc/>
    public double FlopsPerOperation => Threads * PeakFlops.FlopsPerThread(IterationsPerThread);

    /// <inheritdoc/>
    public int ThreadsUsed(string method) => Threads;

    /// <summary>The FMA kernel on <see cref="Threads"/> threads.</summary>
    [Benchmark]
    public double Fma() => PeakFlops.Run(Threads, IterationsPerThread);
}

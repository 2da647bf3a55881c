using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MeanField.Benchmarks.Throughput;

/// <summary>
/// The machine's double-precision peak, measured: <see cref="Accumulators"/> independent chains a ← a·m + c of fused
/// multiply-adds on the widest accelerated vector (<see cref="Vector512{T}"/> when
/// <see cref="Vector512.IsHardwareAccelerated"/>, else <see cref="Vector256{T}"/>), one chain set per thread, nothing
/// read from memory. Enough independent chains hide the FMA latency (Zen 5: 2 FMA pipes × 4 cycles = 8 in flight), so
/// the loop runs at the FMA throughput. Flops: 2 per lane per FMA.
/// </summary>
public static class PeakFlops
{
    /// <summary>Independent FMA chains per thread.</summary>
    public const int Accumulators = 12;

    private static readonly Dictionary<int, double> Measured = [];

    /// <summary>Lanes of the vector the kernel uses (8 or 4 doubles).</summary>
    public static int Lanes => Vector512.IsHardwareAccelerated ? Vector512<double>.Count : Vector256<double>.Count;

    /// <summary>The vector the kernel uses, for reports.</summary>
    public static string VectorName => Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256" : "Vector256 (not accelerated)";

    /// <summary>Flops of one thread's <paramref name="iterations"/> iterations: 2 · lanes · accumulators each.</summary>
    public static double FlopsPerThread(long iterations) => 2.0 * Lanes * Accumulators * iterations;

    /// <summary>Runs the kernel on <paramref name="threads"/> threads, <paramref name="iterations"/> iterations each; returns a value that depends on every chain.</summary>
    public static double Run(int threads, long iterations)
    {
        if (threads == 1)
        {
            return Kernel(iterations);
        }

        double total = 0;
        object gate = new();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            double value = Kernel(iterations);
            lock (gate)
            {
                total += value;
            }
        });
        return total;
    }

    /// <summary>
    /// GFLOP/s on <paramref name="threads"/> threads, measured once per process and thread count (the best of 7 runs of
    /// about 40 ms each, after one warm-up run), then cached. Used by <see cref="PercentOfPeakColumn"/> when the summary
    /// holds no <see cref="PeakFlopsBenchmarks"/> row for that thread count.
    /// </summary>
    public static double MeasureGflops(int threads)
    {
        lock (Measured)
        {
            if (Measured.TryGetValue(threads, out double cached))
            {
                return cached;
            }

            const long iterations = 1 << 19; // 12·8·2 flops each: ~0.1 GFLOP per thread with Vector512
            Run(threads, iterations);
            double best = 0;
            for (int k = 0; k < 7; k++)
            {
                long start = Stopwatch.GetTimestamp();
                Run(threads, iterations);
                double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                best = Math.Max(best, threads * FlopsPerThread(iterations) / seconds / 1e9);
            }

            Measured[threads] = best;
            return best;
        }
    }

    /// <summary>The kernel on one thread.</summary>
    public static double Kernel(long iterations) => Vector512.IsHardwareAccelerated ? Kernel512(iterations) : Kernel256(iterations);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Kernel512(long iterations)
    {
        var m = Vector512.Create(0.999999999);
        var c = Vector512.Create(1e-9);
        Vector512<double> a0 = Vector512.Create(1.00), a1 = Vector512.Create(1.01), a2 = Vector512.Create(1.02), a3 = Vector512.Create(1.03);
        Vector512<double> a4 = Vector512.Create(1.04), a5 = Vector512.Create(1.05), a6 = Vector512.Create(1.06), a7 = Vector512.Create(1.07);
        Vector512<double> a8 = Vector512.Create(1.08), a9 = Vector512.Create(1.09), a10 = Vector512.Create(1.10), a11 = Vector512.Create(1.11);
        for (long k = 0; k < iterations; k++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c);
            a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c);
            a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c);
            a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c);
            a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c);
            a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c);
            a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }

        return Vector512.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Kernel256(long iterations)
    {
        var m = Vector256.Create(0.999999999);
        var c = Vector256.Create(1e-9);
        Vector256<double> a0 = Vector256.Create(1.00), a1 = Vector256.Create(1.01), a2 = Vector256.Create(1.02), a3 = Vector256.Create(1.03);
        Vector256<double> a4 = Vector256.Create(1.04), a5 = Vector256.Create(1.05), a6 = Vector256.Create(1.06), a7 = Vector256.Create(1.07);
        Vector256<double> a8 = Vector256.Create(1.08), a9 = Vector256.Create(1.09), a10 = Vector256.Create(1.10), a11 = Vector256.Create(1.11);
        for (long k = 0; k < iterations; k++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, c);
            a1 = Vector256.FusedMultiplyAdd(a1, m, c);
            a2 = Vector256.FusedMultiplyAdd(a2, m, c);
            a3 = Vector256.FusedMultiplyAdd(a3, m, c);
            a4 = Vector256.FusedMultiplyAdd(a4, m, c);
            a5 = Vector256.FusedMultiplyAdd(a5, m, c);
            a6 = Vector256.FusedMultiplyAdd(a6, m, c);
            a7 = Vector256.FusedMultiplyAdd(a7, m, c);
            a8 = Vector256.FusedMultiplyAdd(a8, m, c);
            a9 = Vector256.FusedMultiplyAdd(a9, m, c);
            a10 = Vector256.FusedMultiplyAdd(a10, m, c);
            a11 = Vector256.FusedMultiplyAdd(a11, m, c);
        }

        return Vector256.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)));
    }
}

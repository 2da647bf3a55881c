using System.Diagnostics;
using MeanField.Threading;

namespace MeanField.Runtime.Tests.Threading;

/// <summary>
/// The pool's spin before blocking (specs/performance.md §5, "Wake-ups between runs"): 50 µs while every thread can
/// have a core, none when the pool has more threads than the machine has cores (a spinning thread would hold the core
/// another thread of the run waits for).
/// </summary>
public sealed class TileWorkerPoolSpinTests
{
    [Fact]
    public void APoolThatFitsTheCoresSpinsFiftyMicroseconds()
    {
        using var pool = new TileWorkerPool(Math.Min(2, Environment.ProcessorCount));
        Assert.Equal(Stopwatch.Frequency / 20_000, pool.SpinTicksForTests);
    }

    [Fact]
    public void APoolWithMoreThreadsThanCoresDoesNotSpin()
    {
        using var pool = new TileWorkerPool(Environment.ProcessorCount + 1);
        Assert.Equal(0, pool.SpinTicksForTests);
    }

    /// <summary>Runs still complete when nobody spins (every wait blocks).</summary>
    [Fact]
    public void RunsCompleteWithoutSpinning()
    {
        using var pool = new TileWorkerPool(Environment.ProcessorCount + 1);
        var work = new Counter();
        for (int run = 0; run < 200; run++)
        {
            pool.Run(work, 7);
        }

        Assert.Equal(1400, work.Count);
    }

    private sealed class Counter : ITileWork
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Execute(int tile, int worker) => Interlocked.Increment(ref _count);
    }
}

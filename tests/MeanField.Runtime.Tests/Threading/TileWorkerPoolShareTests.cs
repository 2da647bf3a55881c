using System.Collections.Concurrent;
using System.Diagnostics;
using MeanField.Threading;

namespace MeanField.Runtime.Tests.Threading;

/// <summary>
/// The pool's contiguous shares (specs/performance.md §5, "Shares"): worker w claims the tiles of the w-th contiguous
/// share in order before it helps with the others', every tile runs exactly once whatever the counts, and a failure
/// stops the run and leaves the pool usable.
/// </summary>
public sealed class TileWorkerPoolShareTests
{
    /// <summary>
    /// Two workers, eight tiles; tile 4 waits until tile 0 has started, and tile 0 until every other tile has run. Worker
    /// 1's first claim is tile 4 (worker 0 reaches share 1 only after all of share 0, tile 0 included); while it waits
    /// there, only worker 0 can claim, and its first claim is tile 0; while tile 0 waits, only worker 1 claims: 5, 6, 7,
    /// then 1, 2, 3 of worker 0's share. The trace is fixed. A pool that hands out tiles from one counter gives worker 1
    /// tile 0 or 1 first.
    /// </summary>
    [Fact]
    public void EachWorkerStartsOnItsOwnShareAndThenHelpsWithTheOthers()
    {
        using var pool = new TileWorkerPool(2);
        var work = new WaitingWork();
        pool.Run(work, 8);

        Assert.True(work.WaitedInTime, "a tile waited 10 s for the others");
        Assert.Equal([0], work.Trace.Where(e => e.Worker == 0).Select(e => e.Tile));
        Assert.Equal([4, 5, 6, 7, 1, 2, 3], work.Trace.Where(e => e.Worker == 1).Select(e => e.Tile));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void EveryTileRunsExactlyOnce(int threads)
    {
        using var pool = new TileWorkerPool(threads);
        foreach (int count in new[] { 0, 1, 2, 3, 4, 5, 7, 8, 31, 64, 127 })
        {
            var work = new Tally(count);
            for (int run = 0; run < 20; run++)
            {
                pool.Run(work, count);
            }

            Assert.All(work.Counts, c => Assert.Equal(20, c));
        }
    }

    [Fact]
    public void AFailingTileStopsTheRunAndThePoolRunsTheNextOne()
    {
        using var pool = new TileWorkerPool(2);
        var failing = new Failing(failAt: 37);
        var error = Assert.Throws<InvalidOperationException>(() => pool.Run(failing, 100));
        Assert.Equal("tile 37", error.Message);

        var work = new Tally(100);
        pool.Run(work, 100);
        Assert.All(work.Counts, c => Assert.Equal(1, c));
    }

    private sealed class WaitingWork : ITileWork
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
        private readonly int[] _started = new int[8];
        private readonly int[] _done = new int[8];
        private int _late;

        public ConcurrentQueue<(int Tile, int Worker)> Trace { get; } = new();

        public bool WaitedInTime => Volatile.Read(ref _late) == 0;

        public void Execute(int tile, int worker)
        {
            Volatile.Write(ref _started[tile], 1);
            if (tile == 4)
            {
                Await(() => Volatile.Read(ref _started[0]) == 1);
            }
            else if (tile == 0)
            {
                Await(() => Enumerable.Range(1, 7).All(t => Volatile.Read(ref _done[t]) == 1));
            }

            Trace.Enqueue((tile, worker));
            Volatile.Write(ref _done[tile], 1);
        }

        private void Await(Func<bool> condition)
        {
            var clock = Stopwatch.StartNew();
            while (!condition())
            {
                if (clock.Elapsed > Patience)
                {
                    Volatile.Write(ref _late, 1);
                    return;
                }

                Thread.Yield();
            }
        }
    }

    private sealed class Tally(int count) : ITileWork
    {
        public int[] Counts { get; } = new int[count];

        public void Execute(int tile, int worker) => Interlocked.Increment(ref Counts[tile]);
    }

    private sealed class Failing(int failAt) : ITileWork
    {
        public void Execute(int tile, int worker)
        {
            if (tile == failAt)
            {
                throw new InvalidOperationException($"tile {failAt}");
            }
        }
    }
}

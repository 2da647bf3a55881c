using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace MeanField.Threading;

/// <summary>
/// A small persistent pool: <see cref="Run"/> hands tiles 0 … count − 1 of one <see cref="ITileWork"/> to
/// <see cref="ThreadCount"/> workers (the calling thread is worker 0) and returns when all are done.
/// </summary>
/// <remarks>
/// <para><b>Shares.</b> The tiles are cut into <see cref="ThreadCount"/> contiguous shares; worker w claims the tiles of
/// share w in order, then helps with the others' shares (from their next unclaimed tile), each claim one atomic step on
/// its share's counter. Runs in a row whose tile t touches the same data (running sums carried from run to run, the
/// symmetric schedule's rounds, whose slot k meets tiles round ± k) thus keep that data on one core: on the 2-vCPU Zen 5
/// hosts a cache line last written by the other core takes ≈ 0.2 µs to reach (a flag's round trip 0.46 µs, 16 KB
/// handed over and back 1.25 µs against 0.09 µs on one core), and claiming from one shared counter, as the pool did
/// before, made the interaction step's tile products 40 % slower on two threads than on one (specs/performance.md
/// §5, "Shares"). Which worker runs which tile still varies from run to run (a late worker's share is taken over); work items
/// keep results bit-identical by writing each tile's output to its own place and reducing in a fixed order inside a
/// tile.</para> Idle workers spin for <see cref="SpinTicks"/> after a run (not when the pool has more threads
/// than the machine has cores), then block in
/// <see cref="Monitor.Wait(object)"/>. After the
/// threads have started, <see cref="Run"/> allocates nothing (unlike <c>Parallel.For</c>).
/// <para><b>Shutdown.</b> <see cref="Shutdown"/> only signals (it never blocks, so it is safe in a finalizer and
/// during a call); a worker that already saw a run finishes its part of that run before it exits, and a run is
/// never started after the signal, so <see cref="Run"/> cannot wait for a worker that has gone. The owner
/// (<see cref="NetworkEvaluator{TModel}"/>) calls it only when no run is in progress (see <see cref="CallGuard"/>).</para>
/// </remarks>
internal sealed class TileWorkerPool : IDisposable
{
    /// <summary>The most threads a pool (an evaluator, a flow) may use: each costs a thread and tile buffers.</summary>
    public const int MaxThreadCount = 1024;

    /// <summary>
    /// How long a worker waiting for the next run, and the caller waiting for the workers, spin before they block: 50 µs.
    /// A blocked thread takes tens of microseconds to wake (a run of tiny tiles on 2 threads: 28–49 µs per run when
    /// both sides block), and a W1 step on the blocked cache makes dozens of runs, so the wake-ups cost whole percents
    /// of a 30 ms step; spinning this long costs an idle pool at most this much CPU after each run, nothing between steps.
    /// </summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000;

    /// <summary>
    /// <see cref="SpinTicks"/>, or 0 when the pool has more threads than the machine has cores: a spinning thread would
    /// then hold a core another of the run's threads is waiting for.
    /// </summary>
    private readonly long _spinTicks;

    /// <summary>How long this pool's threads spin before blocking, in <see cref="Stopwatch"/> ticks (for tests).</summary>
    internal long SpinTicksForTests => _spinTicks;

    /// <summary>Pause iterations between two looks at the shared state while spinning.</summary>
    private const int SpinIterations = 20;

    /// <summary>The distance between two shares' counters in <c>_shareNext</c>: 16 ints, a 64-byte cache line.</summary>
    private const int ShareStride = 16;

    private readonly object _gate = new();
    private readonly Thread[] _threads;
    private ITileWork? _work;
    private int _tileCount;

    // The next unclaimed tile of each worker's share, ShareStride ints (a 64-byte line) apart: a claim touches no line
    // another worker's claims touch while both work in their own shares.
    private readonly int[] _shareNext;
    private int _pending;
    private long _generation;
    private bool _disposed;
    private Exception? _failure;

    // GC.GetAllocatedBytesForCurrentThread() of each background worker after its latest work item, so tests can
    // count the bytes the pool's own threads allocate without seeing other threads of the process.
    private readonly long[] _workerAllocatedBytes;

    /// <param name="threadCount">≥ 1; the pool starts threadCount − 1 background threads.</param>
    public TileWorkerPool(int threadCount)
    {
        if (threadCount is < 1 or > MaxThreadCount)
        {
            throw new ArgumentOutOfRangeException(nameof(threadCount), threadCount, $"The thread count must be between 1 and {MaxThreadCount}.");
        }

        ThreadCount = threadCount;
        _spinTicks = threadCount <= Environment.ProcessorCount ? SpinTicks : 0;
        _threads = new Thread[threadCount - 1];
        _workerAllocatedBytes = new long[threadCount];
        _shareNext = new int[threadCount * ShareStride];
        for (int t = 0; t < _threads.Length; t++)
        {
            _threads[t] = new Thread(WorkerLoop)
            {
                IsBackground = true,
                Name = $"MeanField worker {t + 1}",
            };
            _threads[t].Start(t + 1);
        }
    }

    /// <summary>
    /// Bytes allocated so far by the pool's background threads (not the calling thread), as of their latest
    /// completed work item; after <see cref="Run"/> returns, every work item of that run is counted.
    /// </summary>
    internal long BackgroundAllocatedBytes
    {
        get
        {
            long sum = 0;
            for (int t = 1; t < _workerAllocatedBytes.Length; t++)
            {
                sum += Volatile.Read(ref _workerAllocatedBytes[t]);
            }

            return sum;
        }
    }

    /// <summary>The number of workers, the calling thread included.</summary>
    public int ThreadCount { get; }

    /// <summary>Runs every tile of <paramref name="work"/> and waits for all of them; rethrows the first failure.</summary>
    public void Run(ITileWork work, int tileCount)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        if (tileCount <= 0)
        {
            return;
        }

        if (_threads.Length == 0 || tileCount == 1)
        {
            for (int t = 0; t < tileCount; t++)
            {
                work.Execute(t, 0);
            }

            return;
        }

        lock (_gate)
        {
            // Checked under the lock that workers exit under: a run is published only while every worker is alive.
            ObjectDisposedException.ThrowIf(_disposed, this);
            _work = work;
            _tileCount = tileCount;
            for (int w = 0; w < ThreadCount; w++)
            {
                _shareNext[w * ShareStride] = ShareStart(w, tileCount);
            }

            _failure = null;
            _pending = _threads.Length;
            _generation++;
            Monitor.PulseAll(_gate);
        }

        Drain(0);

        // The workers usually finish within microseconds of the caller: spin a little before blocking (see SpinTicks).
        long until = Stopwatch.GetTimestamp() + _spinTicks;
        while (Volatile.Read(ref _pending) > 0 && Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(SpinIterations);
        }

        lock (_gate)
        {
            while (_pending > 0)
            {
                Monitor.Wait(_gate);
            }

            _work = null;
        }

        if (_failure is { } failure)
        {
            _failure = null;
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>The background threads (for tests: they end after <see cref="Shutdown"/>).</summary>
    internal IReadOnlyList<Thread> Threads => _threads;

    /// <summary>Tells the worker threads to exit once idle; never blocks (safe from a finalizer). Idempotent.</summary>
    public void Shutdown()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Stops the worker threads and waits for them to exit. Must not be called during <see cref="Run"/>.</summary>
    public void Dispose()
    {
        Shutdown();
        foreach (Thread thread in _threads)
        {
            thread.Join();
        }
    }

    /// <summary>The first tile of share <paramref name="share"/> of <paramref name="count"/> tiles (share = ThreadCount: the end).</summary>
    private int ShareStart(int share, int count) => ShareStart(share, count, ThreadCount);

    /// <summary>The first tile of worker <paramref name="share"/>'s share of <paramref name="count"/> tiles among <paramref name="threads"/> workers.</summary>
    internal static int ShareStart(int share, int count, int threads) => (int)((long)count * share / threads);

    private void Drain(int worker)
    {
        ITileWork work = _work!;
        int count = _tileCount;
        try
        {
            // The worker's own share first, then the others' in turn (see Shares in the remarks).
            for (int s = 0; s < ThreadCount; s++)
            {
                int share = (worker + s) % ThreadCount;
                int end = ShareStart(share + 1, count);
                ref int next = ref _shareNext[share * ShareStride];

                // A share already taken is only read (its owner keeps its counter's line), not incremented.
                int tile;
                while (Volatile.Read(ref next) < end && (tile = Interlocked.Increment(ref next) - 1) < end)
                {
                    work.Execute(tile, worker);
                }
            }
        }
        catch (Exception ex)
        {
            // Stop the others early; the caller rethrows once every worker is out of the work item.
            for (int w = 0; w < ThreadCount; w++)
            {
                Interlocked.Exchange(ref _shareNext[w * ShareStride], count);
            }

            Interlocked.CompareExchange(ref _failure, ex, null);
        }
    }

    private void WorkerLoop(object? state)
    {
        int worker = (int)state!;
        long seen = 0;
        while (true)
        {
            // Runs come in bursts (a step makes dozens): spin a little for the next before blocking (see SpinTicks).
            long until = Stopwatch.GetTimestamp() + _spinTicks;
            while (Volatile.Read(ref _generation) == seen && !Volatile.Read(ref _disposed) && Stopwatch.GetTimestamp() < until)
            {
                Thread.SpinWait(SpinIterations);
            }

            lock (_gate)
            {
                while (_generation == seen && !_disposed)
                {
                    Monitor.Wait(_gate);
                }

                // A run published before the shutdown signal is finished first: its caller is waiting for this worker.
                if (_generation == seen)
                {
                    return;
                }

                seen = _generation;
            }

            Drain(worker);
            Volatile.Write(ref _workerAllocatedBytes[worker], GC.GetAllocatedBytesForCurrentThread());
            lock (_gate)
            {
                if (--_pending == 0)
                {
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }
}

namespace MeanField.Runtime.Tests;

/// <summary>
/// The bytes a piece of warm work allocates, counted on the threads that run it: the calling thread
/// (GC.GetAllocatedBytesForCurrentThread) plus, where the work uses a worker pool, the bytes its workers record.
/// </summary>
/// <remarks>
/// The runtime may bill a one-off allocation to the measuring thread at any moment after warm-up: a tier-up or
/// on-stack-replacement transition of the JIT is timed by the wall clock and by the load of the machine, not by a
/// call count a warm-up could wait out (dotnet/BenchmarkDotNet#1543; CI saw 4888 bytes once in a forward and reverse
/// pass that allocates nothing). So one dirty window is not a failure: up to <see cref="Windows"/> windows are
/// measured and the first clean one ends the count. An allocation made by the work itself dirties every window, so
/// the result stays above 0 and the test still fails (a mutation adding one allocation to Adam.Step fails AdamTests).
/// </remarks>
internal static class SteadyAllocation
{
    /// <summary>The most windows measured.</summary>
    public const int Windows = 3;

    /// <summary>The fewest bytes allocated by one run of <paramref name="window"/> over up to <see cref="Windows"/> runs
    /// (the caller warms the work up first); 0 as soon as one run allocates nothing.</summary>
    public static long Bytes(Action window, Func<long>? workerBytes = null)
    {
        long fewest = long.MaxValue;
        for (int w = 0; w < Windows && fewest != 0; w++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread() + (workerBytes?.Invoke() ?? 0);
            window();
            long after = GC.GetAllocatedBytesForCurrentThread() + (workerBytes?.Invoke() ?? 0);
            fewest = Math.Min(fewest, after - before);
        }

        return fewest;
    }
}

using MeanField.Threading;

namespace MeanField.Runtime.Tests.Threading;

/// <summary>
/// <see cref="DoneEvent"/>: a wait that has to block allocates nothing (a plain ManualResetEventSlim allocates its lock
/// object, 24 bytes, on its first blocking wait — what made the 2-D nested-dissection allocation test flaky under a busy
/// thread pool).
/// </summary>
[Collection(nameof(MeanField.Runtime.Tests.Particles.AllocationCollection))]
public sealed class DoneEventTests
{
    /// <remarks>
    /// The first blocking wait of a thread (on any event) may allocate the runtime's own wait structures for that thread
    /// (2192 bytes seen once in CI, on a test thread that had never blocked): one blocking wait on another event comes
    /// first. The measured event is a fresh one, so a plain ManualResetEventSlim's lazy lock (per event) still shows.
    /// </remarks>
    [Fact]
    public void BlockingWaitAllocatesNothing()
    {
        BlockUntilSet(DoneEvent.Create());
        ManualResetEventSlim done = DoneEvent.Create();
        Assert.Equal(0, BlockUntilSet(done));
    }

    /// <summary>Waits on <paramref name="done"/> until another thread sets it, after the wait has blocked; returns the
    /// bytes the waiting thread allocated meanwhile.</summary>
    private static long BlockUntilSet(ManualResetEventSlim done)
    {
        using var ready = new ManualResetEventSlim(false);
        var setter = new Thread(() =>
        {
            ready.Wait();
            Thread.Sleep(50); // long enough that the waiter has blocked
            done.Set();
        });
        setter.Start();
        ready.Set();
        long before = GC.GetAllocatedBytesForCurrentThread();
        done.Wait();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        setter.Join();
        return allocated;
    }
}

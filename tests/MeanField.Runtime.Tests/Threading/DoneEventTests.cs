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
    [Fact]
    public void BlockingWaitAllocatesNothing()
    {
        ManualResetEventSlim done = DoneEvent.Create();
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
        Assert.Equal(0, allocated);
    }
}

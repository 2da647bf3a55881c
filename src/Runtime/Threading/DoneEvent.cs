namespace MeanField.Threading;

/// <summary>
/// The completion event of a reused pool work item (<c>NestedDissectionLu</c>'s subtree, the DGM trainer's second
/// network) that allocates nothing when waited on. <see cref="ManualResetEventSlim"/> creates its lock object lazily on
/// the first wait that has to block (24 bytes), which would land on whichever later call first blocked — under a busy
/// thread pool, a step that must allocate nothing. One timed wait here creates it up front; no spinning (the work takes
/// milliseconds).
/// </summary>
internal static class DoneEvent
{
    public static ManualResetEventSlim Create()
    {
        var done = new ManualResetEventSlim(false, spinCount: 0);
        done.Wait(1);
        return done;
    }
}

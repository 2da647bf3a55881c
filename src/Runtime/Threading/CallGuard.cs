namespace MeanField.Threading;

/// <summary>
/// Enforces the one-call-at-a-time contract of a stateful public type (an evaluator, a flow) and makes its
/// <c>Dispose</c> safe during a call: one <see cref="Interlocked.CompareExchange(ref int, int, int)"/> to enter and
/// one <see cref="Interlocked.Exchange(ref int, int)"/> to leave, once per public call (never in a loop).
/// </summary>
/// <remarks>
/// <para><b>Concurrency.</b> A call made while another is running — from another thread, or re-entrantly from a
/// callback on the same thread — throws <see cref="InvalidOperationException"/> before touching any state, so a
/// misuse is reported and never produces wrong numbers.</para>
/// <para><b>Disposal.</b> <see cref="Dispose"/> never blocks. When no call is running it releases the resources at
/// once; when a call is running (on another thread, or the caller's own callback) it only marks the object disposed,
/// the running call finishes normally, and the resources are released as that call returns. Exactly one of the two
/// paths runs the release: <c>Dispose</c> sets the flag and then tries to close an idle owner slot, a call clears the
/// owner slot and then reads the flag; both steps are full fences, so at least one side sees the other, and the
/// closing compare-exchange lets only one of them win.</para>
/// </remarks>
internal sealed class CallGuard
{
    private const int Free = 0;
    private const int Closed = -1;

    private readonly Action _release;
    private int _owner;
    private int _disposeRequested;

    /// <param name="typeName">The public type as users write it, e.g. <c>NetworkEvaluator&lt;TanhRidge&gt;</c>.</param>
    /// <param name="release">Releases the resources (must not block); called once, on the thread that disposes or on the thread whose call was running.</param>
    public CallGuard(string typeName, Action release)
    {
        TypeName = typeName;
        _release = release;
    }

    /// <summary>The public type name used in the messages.</summary>
    public string TypeName { get; }

    /// <summary>Whether <see cref="Dispose"/> has been called (a running call may still be finishing).</summary>
    public bool IsDisposeRequested => Volatile.Read(ref _disposeRequested) != 0;

    /// <summary>Starts a call; dispose the scope (a <c>using</c>) to end it.</summary>
    /// <exception cref="ObjectDisposedException">The object has been disposed.</exception>
    /// <exception cref="InvalidOperationException">Another call is running (another thread, or a re-entrant call from a callback).</exception>
    public Scope Enter()
    {
        if (Volatile.Read(ref _disposeRequested) != 0)
        {
            throw Disposed();
        }

        int me = Environment.CurrentManagedThreadId;
        int previous = Interlocked.CompareExchange(ref _owner, me, Free);
        if (previous != Free)
        {
            throw previous == Closed ? Disposed() : Busy(previous == me);
        }

        if (Volatile.Read(ref _disposeRequested) != 0)
        {
            // Disposed between the first check and the claim: give the slot back (releasing if it falls to us).
            Exit();
            throw Disposed();
        }

        return new Scope(this);
    }

    /// <summary>Throws <see cref="ObjectDisposedException"/> when <see cref="Dispose"/> has been called.</summary>
    public void ThrowIfDisposed()
    {
        if (IsDisposeRequested)
        {
            throw Disposed();
        }
    }

    /// <summary>Marks the object disposed and releases its resources now or, during a call, when that call returns. Never blocks; idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposeRequested, 1) != 0)
        {
            return;
        }

        TryRelease();
    }

    /// <summary>The exception for a call on a disposed object, naming the public type.</summary>
    public ObjectDisposedException Disposed() =>
        new(TypeName, $"This {TypeName} has been disposed; its worker threads are released. Create a new one.");

    private InvalidOperationException Busy(bool reentrant) => new(reentrant
        ? $"{TypeName} is already running a call on this thread: a re-entrant call from a callback (such as a progress report) is not allowed. It is not thread-safe either: use one instance per thread."
        : $"{TypeName} is already running a call on another thread; it is not thread-safe: use one instance per thread (or serialise the calls).");

    private void Exit()
    {
        Interlocked.Exchange(ref _owner, Free);
        if (Volatile.Read(ref _disposeRequested) != 0)
        {
            TryRelease();
        }
    }

    private void TryRelease()
    {
        if (Interlocked.CompareExchange(ref _owner, Closed, Free) == Free)
        {
            _release();
        }
    }

    /// <summary>One running call; ends it when disposed.</summary>
    public readonly ref struct Scope
    {
        private readonly CallGuard _guard;

        internal Scope(CallGuard guard) => _guard = guard;

        /// <summary>Ends the call (and releases the resources if the object was disposed meanwhile).</summary>
        public void Dispose() => _guard.Exit();
    }
}

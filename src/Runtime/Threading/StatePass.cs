using System.Numerics.Tensors;

namespace MeanField.Threading;

/// <summary>
/// The per-step passes over a dynamic's whole state, split over a <see cref="TileWorkerPool"/> in chunks: save, move
/// and check in one pass (<see cref="SaveMoveCheck"/>), or the finiteness check alone (<see cref="AllFinite"/>).
/// </summary>
/// <remarks>
/// At (n, d) = (16384, 256) the state is 34 MB. Done one after the other on the calling thread — a copy to the saved
/// state, the Euler move x += h·v, a finiteness scan — these passes took 8–9 ms of a 190 ms W1 step with both cores
/// (the second core idle meanwhile; specs/performance.md §5). Here each chunk of 2¹⁵ values (256 KiB, within a
/// core's L2) is copied, moved and checked while it is in cache, and the chunks run on every worker. The move is
/// <c>TensorPrimitives.MultiplyAdd(v, h, x, x)</c> per
/// chunk, elementwise (v·h, then + x, two roundings), so its bits do not depend on the chunking or the thread count.
/// Allocation: none after the first call of a given size.
/// </remarks>
internal sealed class StatePass : ITileWork
{
    /// <summary>Values per chunk: 256 KiB, small enough to stay in a core's L2 between the copy, the move and the check.</summary>
    internal const int Chunk = 1 << 15;

    private readonly TileWorkerPool _pool;
    private double[] _values = [];
    private double[] _direction = [];
    private double[] _saved = [];
    private double _factor;
    private bool _move;
    private bool[] _finite = [];

    public StatePass(TileWorkerPool pool) => _pool = pool;

    /// <summary>
    /// <paramref name="saved"/> := <paramref name="values"/>, then <paramref name="values"/> := <paramref name="direction"/>·<paramref name="factor"/>
    /// + <paramref name="values"/>; returns whether every moved value is finite. The arrays have the same length.
    /// </summary>
    public bool SaveMoveCheck(double[] values, double[] direction, double factor, double[] saved)
    {
        if (direction.Length != values.Length || saved.Length != values.Length)
        {
            throw new ArgumentException($"The direction ({direction.Length}) and the saved state ({saved.Length}) must have the state's length ({values.Length}).");
        }

        _direction = direction;
        _saved = saved;
        _factor = factor;
        _move = true;
        return Run(values);
    }

    /// <summary>Whether every value of <paramref name="values"/> is finite (no NaN or ±∞).</summary>
    public bool AllFinite(double[] values)
    {
        _move = false;
        return Run(values);
    }

    private bool Run(double[] values)
    {
        int chunks = (values.Length + Chunk - 1) / Chunk;
        if (_finite.Length < chunks)
        {
            _finite = new bool[chunks];
        }

        _values = values;
        try
        {
            _pool.Run(this, chunks);
        }
        finally
        {
            // Hold no reference to the caller's arrays between calls.
            _values = _direction = _saved = [];
        }

        for (int c = 0; c < chunks; c++)
        {
            if (!_finite[c])
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public void Execute(int tile, int worker)
    {
        int start = tile * Chunk;
        int length = Math.Min(Chunk, _values.Length - start);
        Span<double> values = _values.AsSpan(start, length);
        if (_move)
        {
            values.CopyTo(_saved.AsSpan(start, length));
            TensorPrimitives.MultiplyAdd(_direction.AsSpan(start, length), _factor, values, values);
        }

        _finite[tile] = FiniteCheck.FirstNonFinite(values) < 0;
    }
}

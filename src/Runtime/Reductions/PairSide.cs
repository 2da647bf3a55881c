using System.Numerics.Tensors;

namespace MeanField.Reductions;

/// <summary>
/// One side of the pairwise tile engine: points of an <see cref="InteractionLayout"/> placed in <em>slots</em>
/// (slot = particle index, or a permuted order with each batch starting on a whole tile), prepared once per call in
/// O(n·d): the per-point block [scalars (S)][per-particle channels (Q)] (structure of arrays, stride
/// <see cref="Capacity"/>), for each vector read by a pair channel its rows (slot-major, d each; read when the side
/// is B) and its packed transpose tile by tile ([tile][k][64 slots]; read when the side is A), and the weights.
/// Empty slots hold zeros and weight 0. Buffers grow only: a call with the same sizes allocates nothing.
/// </summary>
internal sealed class PairSide
{
    private readonly InteractionLayout _layout;
    private readonly bool[] _paired;

    public PairSide(InteractionLayout layout)
    {
        _layout = layout;
        _paired = new bool[layout.VectorParameters.Count];
        foreach (PairChannel channel in layout.PairChannels)
        {
            _paired[channel.First] = true;
            _paired[channel.Second] = true;
        }

        Rows = new double[_paired.Length][];
        Transposed = new double[_paired.Length][];
        for (int j = 0; j < _paired.Length; j++)
        {
            Rows[j] = [];
            Transposed[j] = [];
        }
    }

    /// <summary>The number of points placed.</summary>
    public int Count { get; private set; }

    /// <summary>The number of slots, a multiple of <see cref="Tiles.Particles"/>.</summary>
    public int Capacity { get; private set; }

    public int Dimension { get; private set; }

    /// <summary>(S + Q) × <see cref="Capacity"/>: entry k of the block of slot s at k·Capacity + s.</summary>
    public double[] Block { get; private set; } = [];

    /// <summary>Per vector parameter j read by a pair channel: slot s's v_j at [s·d, (s + 1)·d).</summary>
    public double[][] Rows { get; }

    /// <summary>Per vector parameter j read by a pair channel: [tile t][component k][slot − 64t].</summary>
    public double[][] Transposed { get; }

    /// <summary>Per slot: the weight the drivers use for this point on side B (set by the caller; 0 in empty slots).</summary>
    public double[] Weights { get; private set; } = [];

    /// <summary>
    /// Places the points of <paramref name="set"/>: point i in slot <paramref name="slotOf"/>[i] (identity when empty) of
    /// <paramref name="capacity"/> slots (0: the count rounded up to whole tiles). Weights are left at 0.
    /// </summary>
    public void Prepare(ParticleSet set, ReadOnlySpan<int> slotOf, int capacity)
    {
        int n = set.Count;
        int d = set.Dimension;
        int s = _layout.ScalarCount;
        int q = _layout.ParticleChannelCount;
        if (capacity == 0)
        {
            capacity = (n + Tiles.Particles - 1) / Tiles.Particles * Tiles.Particles;
        }

        Count = n;
        Capacity = capacity;
        Dimension = d;
        Grow(ref _block, (s + q) * capacity);
        Block = _block;
        Grow(ref _weights, capacity);
        Weights = _weights;
        Array.Clear(_block, 0, (s + q) * capacity);
        Array.Clear(_weights, 0, capacity);
        bool identity = slotOf.IsEmpty;
        double[] data = set.Data;
        for (int k = 0; k < s; k++)
        {
            ReadOnlySpan<double> scalar = data.AsSpan(k * n, n);
            Span<double> target = _block.AsSpan(k * capacity, capacity);
            if (identity)
            {
                scalar.CopyTo(target);
            }
            else
            {
                for (int i = 0; i < n; i++)
                {
                    target[slotOf[i]] = scalar[i];
                }
            }
        }

        for (int c = 0; c < q; c++)
        {
            ParticleChannel channel = _layout.ParticleChannels[c];
            ReadOnlySpan<double> first = set.Vector(channel.First);
            ReadOnlySpan<double> second = set.Vector(channel.Second);
            Span<double> target = _block.AsSpan((s + c) * capacity, capacity);
            for (int i = 0; i < n; i++)
            {
                target[identity ? i : slotOf[i]] = TensorPrimitives.Dot(first.Slice(i * d, d), second.Slice(i * d, d));
            }
        }

        for (int j = 0; j < _paired.Length; j++)
        {
            if (!_paired[j])
            {
                continue;
            }

            Grow(ref Rows[j], capacity * d);
            Grow(ref Transposed[j], capacity * d);
            double[] rows = Rows[j];
            double[] transposed = Transposed[j];
            Array.Clear(rows, 0, capacity * d);
            Array.Clear(transposed, 0, capacity * d);
            ReadOnlySpan<double> vectors = set.Vector(j);
            for (int i = 0; i < n; i++)
            {
                int slot = identity ? i : slotOf[i];
                ReadOnlySpan<double> row = vectors.Slice(i * d, d);
                row.CopyTo(rows.AsSpan(slot * d, d));
                int tileBase = (slot / Tiles.Particles) * Tiles.Particles * d;
                int lane = slot % Tiles.Particles;
                for (int k = 0; k < d; k++)
                {
                    transposed[tileBase + (k * Tiles.Particles) + lane] = row[k];
                }
            }
        }
    }

    private double[] _block = [];
    private double[] _weights = [];

    private static void Grow(ref double[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new double[length];
        }
    }
}

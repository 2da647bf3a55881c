using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MeanField.Numerics;
using MeanField.Threading;

namespace MeanField.Reductions;

/// <summary>
/// One side of the pairwise tile engine: particles (of an interaction or network layout) placed in <em>slots</em>
/// (slot = particle index, or a permuted order with each batch starting on a whole tile), prepared once per call in
/// O(n·d): the per-point block [scalars (S)][per-particle channels (Q)] (structure of arrays, stride
/// <see cref="Capacity"/>), for each vector read by a pair channel its rows (slot-major, d each; read when the side
/// is B) and its packed transpose tile by tile ([tile][k][64 slots]; read when the side is A), and the weights.
/// Empty slots hold zeros and weight 0. Buffers grow only: a call with the same sizes allocates nothing.
/// A network's samples sit on side B through <see cref="UseSamples"/>: vector 0 is x, the block |x|² (or nothing),
/// both read in place.
/// </summary>
internal sealed class PairSide : ITileWork
{
    private readonly ParticleLayout? _layout;
    private readonly bool[] _paired;
    private readonly bool _rows;
    private readonly SideValuesFunction? _sideValues;
    private readonly int _sideValueCount;

    /// <summary>A side of interaction particles: every vector read by a pair channel, on either side.</summary>
    /// <summary>A side of interaction model <typeparamref name="TModel"/>'s particles, its side values computed by the model.</summary>
    public static PairSide Of<TModel>()
        where TModel : struct, IInteractionModel<TModel> => new(TModel.Layout, SideValuesOf<TModel>.Function);

    public PairSide(InteractionLayout layout, SideValuesFunction? sideValues = null)
        : this(layout, PairedVectors(layout), rows: true)
    {
        if (layout.SideValueCount > 0)
        {
            _sideValues = sideValues ?? throw new ArgumentNullException(nameof(sideValues), $"{layout.ModelName} has {layout.SideValueCount} side values per particle: pass the model's SideValues.");
            _sideValueCount = layout.SideValueCount;
        }
    }

    /// <summary>A side of network particles or probes (always side A: no <see cref="Rows"/>): the vectors v_j of the pair channels v_j·x.</summary>
    public PairSide(NetworkLayout layout)
        : this(layout, [.. layout.PairChannels], rows: false)
    {
    }

    /// <summary>A side of network samples (<see cref="UseSamples"/>).</summary>
    public PairSide()
        : this(null, [0], rows: false)
    {
    }

    private PairSide(ParticleLayout? layout, int[] paired, bool rows)
    {
        _layout = layout;
        _rows = rows;
        _paired = new bool[layout?.VectorParameters.Count ?? 1];
        foreach (int j in paired)
        {
            _paired[j] = true;
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

    /// <summary>
    /// (S + Q + H) × <see cref="Capacity"/>: entry k of the block of slot s at k·Capacity + s; rows S + Q … S + Q + H − 1
    /// hold an interaction's side values (<see cref="InteractionLayout.SideValueCount"/>), computed from the block.
    /// </summary>
    public double[] Block { get; private set; } = [];

    /// <summary>Per vector parameter j read by a pair channel: slot s's v_j at [s·d, (s + 1)·d) (empty on a network's particle side).</summary>
    public double[][] Rows { get; }

    /// <summary>Per vector parameter j read by a pair channel: [tile t][component k][slot − 64t].</summary>
    public double[][] Transposed { get; }

    /// <summary>Per slot: the weight the drivers use for this point (set by the caller; 0 in empty slots).</summary>
    public double[] Weights { get; private set; } = [];

    /// <summary>
    /// Places <paramref name="count"/> network samples, read in place: x (row-major, d each) as vector 0, |x|² as the
    /// block when <paramref name="squaredNorms"/> is not null, and <paramref name="weights"/> (length ≥ count).
    /// </summary>
    public void UseSamples(double[] x, double[]? squaredNorms, int count, int dimension, double[] weights)
    {
        Count = count;
        Capacity = (count + Tiles.Particles - 1) / Tiles.Particles * Tiles.Particles;
        Dimension = dimension;
        Rows[0] = x;
        Block = squaredNorms ?? [];
        Weights = weights;
    }

    /// <summary>
    /// Packs the placed samples per tile transposed (<see cref="Transposed"/>, the operand of the backward Gᵀ X:
    /// contiguous per component, so the product's broadcasts walk 64 doubles of one component instead of 64 rows d
    /// apart). Only the gradient needs it, so only the gradient calls it, with a <see cref="SampleSet"/>'s inputs, which
    /// never change: the packing is skipped when the same array of the same shape comes again.
    /// </summary>
    public void PackSamples()
    {
        double[] x = Rows[0];
        int count = Count;
        int dimension = Dimension;
        if (ReferenceEquals(_packedSamples, x) && _packedCount == count && _packedDimension == dimension)
        {
            return;
        }

        _packedSamples = x;
        _packedCount = count;
        _packedDimension = dimension;
        Grow(ref Transposed[0], Capacity * dimension);
        double[] transposed = Transposed[0];
        Array.Clear(transposed, count / Tiles.Particles * Tiles.Particles * dimension, (Capacity - (count / Tiles.Particles * Tiles.Particles)) * dimension);
        for (int l = 0; l < count; l++)
        {
            int tileBase = l / Tiles.Particles * Tiles.Particles * dimension;
            int lane = l % Tiles.Particles;
            for (int k = 0; k < dimension; k++)
            {
                transposed[tileBase + (k * Tiles.Particles) + lane] = x[(l * dimension) + k];
            }
        }
    }

    /// <summary>Replaces the weights (length ≥ <see cref="Count"/>; read only in slots the drivers visit).</summary>
    public void UseWeights(double[] weights) => Weights = weights;

    /// <summary>
    /// Places the points of <paramref name="set"/>: point i in slot <paramref name="slotOf"/>[i] (identity when empty; it may be
    /// longer than the count) of <paramref name="capacity"/> slots (0: the count rounded up to whole tiles). Weights are left
    /// at 0. The per-particle work runs on <paramref name="pool"/> when given, one particle tile per work item.
    /// </summary>
    public void Prepare(ParticleSet set, int[] slotOf, int capacity, TileWorkerPool? pool = null)
    {
        ParticleLayout layout = _layout!;
        int n = set.Count;
        int d = set.Dimension;
        int s = layout.ScalarCount;
        int q = layout.ParticleChannelCount;
        if (capacity == 0)
        {
            capacity = (n + Tiles.Particles - 1) / Tiles.Particles * Tiles.Particles;
        }

        Count = n;
        Capacity = capacity;
        Dimension = d;
        int rows = s + q + _sideValueCount;
        Grow(ref _block, rows * capacity);
        Block = _block;
        Grow(ref _weights, capacity);
        Weights = _weights;
        bool identity = slotOf.Length == 0;
        if (identity)
        {
            // Every slot below n is written: clear only the empty ones.
            for (int k = 0; k < rows; k++)
            {
                Array.Clear(_block, (k * capacity) + n, capacity - n);
            }
        }
        else
        {
            Array.Clear(_block, 0, rows * capacity);
        }

        Array.Clear(_weights, 0, capacity);
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

        // The per-particle work — the channel dot products, the rows (interactions) and the transposed tiles — one
        // particle tile per work item, on the pool when there is one: it touches every vector value once, and at
        // (n, d) = (16384, 256) it took 7–8 ms on the calling thread while the other workers waited.
        for (int j = 0; j < _paired.Length; j++)
        {
            if (!_paired[j])
            {
                continue;
            }

            Grow(ref Transposed[j], capacity * d);
            double[] transposed = Transposed[j];

            // With the identity placement only the tiles from the one holding slot n on have empty slots.
            int cleared = identity ? n / Tiles.Particles * Tiles.Particles * d : 0;
            Array.Clear(transposed, cleared, (capacity * d) - cleared);
            if (_rows)
            {
                Grow(ref Rows[j], capacity * d);
                Array.Clear(Rows[j], identity ? n * d : 0, identity ? (capacity - n) * d : capacity * d);
            }
        }

        _set = set;
        _slotOf = slotOf;
        int tiles = (n + Tiles.Particles - 1) / Tiles.Particles;
        try
        {
            if (pool is null)
            {
                for (int t = 0; t < tiles; t++)
                {
                    Execute(t, 0);
                }
            }
            else
            {
                pool.Run(this, tiles);
            }
        }
        finally
        {
            _set = null;
            _slotOf = [];
        }
    }

    /// <summary>The per-particle work of <see cref="Prepare"/> for particles [64·tile, 64·tile + 64).</summary>
    void ITileWork.Execute(int tile, int worker) => Execute(tile, worker);

    private void Execute(int tile, int worker)
    {
        ParticleSet set = _set!;
        ParticleLayout layout = _layout!;
        int n = set.Count, d = set.Dimension, s = layout.ScalarCount, capacity = Capacity;
        int first = tile * Tiles.Particles, end = Math.Min(n, first + Tiles.Particles);
        bool identity = _slotOf.Length == 0;
        for (int c = 0; c < layout.ParticleChannelCount; c++)
        {
            ParticleChannel channel = layout.ParticleChannels[c];
            ReadOnlySpan<double> firstVectors = set.Vector(channel.First);
            ReadOnlySpan<double> secondVectors = set.Vector(channel.Second);
            Span<double> target = _block.AsSpan((s + c) * capacity, capacity);
            for (int i = first; i < end; i++)
            {
                target[identity ? i : _slotOf[i]] = TensorPrimitives.Dot(firstVectors.Slice(i * d, d), secondVectors.Slice(i * d, d));
            }
        }

        if (_sideValues is { } sideValues)
        {
            // The side values from each slot's block (scalars, copied before the pool ran, and the channels above).
            int inputs = s + layout.ParticleChannelCount;
            Span<double> block = stackalloc double[inputs];
            Span<double> values = stackalloc double[_sideValueCount];
            for (int i = first; i < end; i++)
            {
                int slot = identity ? i : _slotOf[i];
                for (int k = 0; k < inputs; k++)
                {
                    block[k] = _block[(k * capacity) + slot];
                }

                sideValues(block, values);
                for (int k = 0; k < values.Length; k++)
                {
                    _block[((inputs + k) * capacity) + slot] = values[k];
                }
            }
        }

        for (int j = 0; j < _paired.Length; j++)
        {
            if (!_paired[j])
            {
                continue;
            }

            ReadOnlySpan<double> vectors = set.Vector(j);
            if (_rows)
            {
                double[] rows = Rows[j];
                for (int i = first; i < end; i++)
                {
                    vectors.Slice(i * d, d).CopyTo(rows.AsSpan((identity ? i : _slotOf[i]) * d, d));
                }
            }

            // Each slot's column of its tile: d stores 64 apart (a slot's d values, contiguous in the row). With the
            // identity placement, 8 particles × 8 components (4 × 4 with AVX only) at a time are transposed in registers.
            ref double transposed = ref MemoryMarshal.GetArrayDataReference(Transposed[j]);
            int blocked = first, size = BlockTranspose.Size;
            if (identity && size > 0)
            {
                ref double vectorRows = ref MemoryMarshal.GetReference(vectors);
                ref double tileStart = ref Unsafe.Add(ref transposed, (first / Tiles.Particles) * Tiles.Particles * d);
                for (; blocked + size <= end; blocked += size)
                {
                    int lane = blocked % Tiles.Particles, k = 0;
                    for (; k + size <= d; k += size)
                    {
                        BlockTranspose.Transpose(
                            size, ref Unsafe.Add(ref vectorRows, (blocked * d) + k), d, ref Unsafe.Add(ref tileStart, (k * Tiles.Particles) + lane), Tiles.Particles);
                    }

                    for (; k < d; k++)
                    {
                        for (int i = blocked; i < blocked + size; i++)
                        {
                            Unsafe.Add(ref tileStart, (k * Tiles.Particles) + (i % Tiles.Particles)) = Unsafe.Add(ref vectorRows, (i * d) + k);
                        }
                    }
                }
            }

            for (int i = blocked; i < end; i++)
            {
                int slot = identity ? i : _slotOf[i];
                ReadOnlySpan<double> row = vectors.Slice(i * d, d);
                ref double column = ref Unsafe.Add(ref transposed, ((slot / Tiles.Particles) * Tiles.Particles * d) + (slot % Tiles.Particles));
                for (int k = 0; k < row.Length; k++)
                {
                    Unsafe.Add(ref column, k * Tiles.Particles) = row[k];
                }
            }
        }
    }

    private static int[] PairedVectors(InteractionLayout layout)
    {
        var paired = new List<int>();
        foreach (PairChannel channel in layout.PairChannels)
        {
            paired.Add(channel.First);
            paired.Add(channel.Second);
        }

        return [.. paired];
    }

    private ParticleSet? _set;
    private int[] _slotOf = [];
    private double[]? _packedSamples;
    private int _packedCount;
    private int _packedDimension;
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

/// <summary>An interaction model's <see cref="IInteractionModel{TSelf}.SideValues"/>: one particle's H side values from its block.</summary>
internal delegate void SideValuesFunction(ReadOnlySpan<double> inputs, Span<double> values);

/// <summary>The delegate of <typeparamref name="TModel"/>'s side values, created once.</summary>
internal static class SideValuesOf<TModel>
    where TModel : struct, IInteractionModel<TModel>
{
    public static readonly SideValuesFunction Function = static (inputs, values) => TModel.SideValues(inputs, values);
}

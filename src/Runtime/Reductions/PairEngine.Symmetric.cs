using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MeanField.Numerics;

namespace MeanField.Reductions;

/// <summary>
/// The symmetric schedule of the column gradient sums: one side against itself with a symmetric operator, each unordered
/// pair of points evaluated once (specs/performance.md §3.1).
/// </summary>
/// <remarks>
/// <para>With k(a, b) = k(b, a) and a layout whose B block reads the same inputs as the A block and whose pair channels
/// read the same vector on both sides, one evaluation at (a, b) gives both points' terms: a's from ∂k/∂(A inputs),
/// b's from ∂k/∂(B inputs), and ∂k/∂z_p for both (z_p is symmetric). The n × n pairs are cut into 64 × 64 blocks of
/// tiles; the diagonal blocks run the ordinary column sums, each off-diagonal block (I &lt; J) runs once and adds to the
/// running sums of both tiles. That halves the operator's evaluations, its largest cost, and does 3 of the 4 products
/// per ordered pair: the pair channels once, Σ_b ω_b ∂k/∂z_p v(b) for A and Σ_a ω_a ∂k/∂z_p v(a) for B.</para>
/// <para><b>Determinism.</b> The off-diagonal blocks run in rounds of a round-robin tournament (the circle method): in
/// each round every tile is in at most one block, so the blocks of a round touch disjoint sums and may run on any
/// thread, and every tile receives its blocks in the same order, round after round. Each sum's arithmetic is fixed by
/// the schedule alone: bit-identical results for every thread count. The bits differ from the ordered schedule's
/// (<see cref="Run"/>): the terms are added in another order.</para>
/// </remarks>
internal sealed partial class PairEngine<TOp>
{
    private readonly ColumnCarry _symmetricTiles = new();
    private SymmetricPhase _symmetricPhase;
    private PairWorkItem[] _symmetricItems = [];
    private int[] _roundPairs = [];

    /// <summary>
    /// Whether <see cref="RunSymmetric"/>'s off-diagonal blocks take two lane groups of A points per pass over the B rows
    /// with the kernel's inputs in registers (<see cref="SymmetricStripPair"/>, for operators with
    /// <see cref="FusedBlocks"/>): by default where the register file has 32 vectors, which that strip needs, and 256-bit
    /// vectors are accelerated (the generated block overloads are 256- and 512-bit; at narrower widths a block reaches the
    /// span operators through memory). Either way the same bits; the tests set it both ways at every width.
    /// </summary>
    internal bool PairedStrips { get; set; } = TileProduct.WideRegisterFile && System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated;

    private enum SymmetricPhase
    {
        /// <summary>Not in a symmetric run, or in its diagonal blocks (the ordinary column sums).</summary>
        None,

        /// <summary>One round of off-diagonal blocks (work item = an entry of the round's pairs).</summary>
        Blocks,

        /// <summary>The tiles' running sums to the outputs (work item = a tile).</summary>
        Outputs,
    }

    /// <summary>
    /// Whether the layout allows <see cref="RunSymmetric"/>: the B block reads the A block's inputs (an interaction's
    /// particles on both sides), at most 4 of them, at most 2 pair channels, each reading one vector on both sides (w·w′,
    /// |w − w′|²), and the pair-channel sums asked for.
    /// </summary>
    public bool SupportsSymmetric
    {
        get
        {
            if (_blockCount != _bBlockCount || _blockCount > 4 || _pairCount > 2 || !_pairChannelSums)
            {
                return false;
            }

            foreach (PairChannel channel in _pairs)
            {
                if (channel.First != channel.Second)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// The column gradient sums of <paramref name="side"/> against itself, for a symmetric operator, each unordered pair
    /// evaluated once: the same outputs as <see cref="Run"/>(side, side, one item per tile over every B point, values,
    /// gradients: true, accumulate: false) — value sums into <paramref name="values"/>, gradient sums into
    /// <see cref="Sums"/> and <see cref="PairSums"/> — up to rounding (another summation order). The points must sit in
    /// slots 0 … Count − 1 (the identity placement), so that only the last tile is partial.
    /// </summary>
    /// <param name="side">The points, in slots 0 … Count − 1, and their weights.</param>
    /// <param name="values">Receives Σ_b ω_b k(a, b) per slot.</param>
    /// <param name="gradients">
    /// False: the value sums only (the row sums of <see cref="RunRowSums"/> with both sides the same, by symmetry):
    /// the operator's value alone, no products but the pair channels, and <see cref="Sums"/>/<see cref="PairSums"/>
    /// untouched.
    /// </param>
    /// <returns>The operator's evaluations: Σ_t c_t² over the diagonal blocks plus c_I·c_J per off-diagonal block.</returns>
    public long RunSymmetric(PairSide side, double[] values, bool gradients = true)
    {
        if (!SupportsSymmetric)
        {
            throw new InvalidOperationException("The layout does not allow the symmetric schedule (see SupportsSymmetric).");
        }

        int n = side.Count;
        int d = side.Dimension;
        int tiles = (n + Tiles.Particles - 1) / Tiles.Particles;
        foreach (Scratch scratch in _scratch)
        {
            scratch.Ensure(_blockCount + 1 + _pairCount, _pairCount, d);
            scratch.EnsureSymmetric(_blockCount, _pairCount);
        }

        if (gradients)
        {
            EnsureOutputs(side.Capacity, d);
            _symmetricTiles.Ensure(tiles, _sumRows, _pairCount, d);
        }

        if (_symmetricItems.Length < tiles)
        {
            _symmetricItems = new PairWorkItem[tiles];
        }

        for (int t = 0; t < tiles; t++)
        {
            int count = Math.Min(Tiles.Particles, n - (t * Tiles.Particles));
            _symmetricItems[t] = new PairWorkItem(t, count, t * Tiles.Particles, (t * Tiles.Particles) + count);
        }

        int ring = RoundRobinSize(tiles);
        if (_roundPairs.Length < ring)
        {
            _roundPairs = new int[ring];
        }

        (ColumnCarry? carry, bool resume, bool finish) = (_carry, _resume, _finish);
        _a = side;
        _b = side;
        _items = _symmetricItems;
        _values = values;
        _gradients = gradients;
        _valueSums = true;
        _accumulate = false;
        _sink = null;
        _rowSums = false;
        try
        {
            // Each tile against itself: the ordinary column sums, into the tile's running sums (not yet written out);
            // values only: straight into the values (the blocks below add to them, a tile at a time).
            _carry = gradients ? _symmetricTiles : null;
            _resume = false;
            _finish = !gradients;
            _pool.Run(this, tiles);

            _symmetricPhase = SymmetricPhase.Blocks;
            for (int round = 0; round < ring - 1; round++)
            {
                // In slot order: the pool's contiguous shares give each worker a run of slots, and slot k meets tiles
                // round ± k, so on two workers a tile's running sums change core at most twice a step (§5, "Shares").
                _pool.Run(this, RoundPairs(round, tiles, _roundPairs));
            }

            if (gradients)
            {
                _symmetricPhase = SymmetricPhase.Outputs;
                _pool.Run(this, tiles);
            }
        }
        finally
        {
            _symmetricPhase = SymmetricPhase.None;
            (_carry, _resume, _finish) = (carry, resume, finish);
            _a = null;
            _b = null;
        }

        long evaluations = 0;
        for (int t = 0; t < tiles; t++)
        {
            evaluations += (long)_symmetricItems[t].Count * _symmetricItems[t].Count;
        }

        return ((long)n * n + evaluations) / 2;
    }

    /// <summary>The tiles of the round-robin tournament: the tile count, rounded up to even (an odd count gets a bye).</summary>
    internal static int RoundRobinSize(int tiles) => tiles + (tiles & 1);

    /// <summary>
    /// Round <paramref name="round"/> (0 … m − 2, m = <see cref="RoundRobinSize"/>) of the circle method: tile m − 1 stays,
    /// the others turn on a ring of m − 1, and the tiles at equal distance from the round's tile meet. Writes the round's
    /// blocks as (lower, higher) tile pairs into <paramref name="pairs"/> and returns their number; a pair with the bye (tile
    /// ≥ <paramref name="tiles"/>) is left out. Over the m − 1 rounds every two tiles meet exactly once, and within a round
    /// no tile appears twice.
    /// </summary>
    internal static int RoundPairs(int round, int tiles, Span<int> pairs)
    {
        int m = RoundRobinSize(tiles);
        int ring = m - 1;
        int count = 0;
        for (int k = 0; k < m / 2; k++)
        {
            int x = k == 0 ? round : (round + k) % ring;
            int y = k == 0 ? m - 1 : (round - k + ring) % ring;
            if (x < tiles && y < tiles)
            {
                pairs[2 * count] = Math.Min(x, y);
                pairs[(2 * count) + 1] = Math.Max(x, y);
                count++;
            }
        }

        return count;
    }

    /// <summary>Sizes <see cref="Sums"/> and <see cref="PairSums"/> for an A side of <paramref name="capacity"/> slots.</summary>
    private void EnsureOutputs(int capacity, int d)
    {
        if (Sums.Length < _sumRows * capacity)
        {
            Sums = new double[_sumRows * capacity];
        }

        for (int p = 0; p < _pairCount; p++)
        {
            if (PairSums[p].Length < capacity * d)
            {
                PairSums[p] = new double[capacity * d];
            }
        }
    }

    private void ExecuteSymmetric(int index, int worker)
    {
        if (_symmetricPhase == SymmetricPhase.Outputs)
        {
            PairWorkItem item = _items[index];
            WriteOutputs(item, _carry!.Sums[item.Tile], _carry.PairSums[item.Tile], item.Tile * Tiles.Particles, _a!.Capacity, _a.Dimension, _sumRows, worker);
            return;
        }

        int aTile = _roundPairs[2 * index], bTile = _roundPairs[(2 * index) + 1];
        switch (_width)
        {
            case SimdWidth.V512:
                ExecuteBlock<Lanes512, System.Runtime.Intrinsics.Vector512<double>>(aTile, bTile, _scratch[worker]);
                break;
            case SimdWidth.V256:
                ExecuteBlock<Lanes256, System.Runtime.Intrinsics.Vector256<double>>(aTile, bTile, _scratch[worker]);
                break;
            case SimdWidth.V128:
                ExecuteBlock<Lanes128, System.Runtime.Intrinsics.Vector128<double>>(aTile, bTile, _scratch[worker]);
                break;
            default:
                ExecuteBlock<Lanes1, double>(aTile, bTile, _scratch[worker]);
                break;
        }
    }

    /// <summary>
    /// The off-diagonal block (A tile <paramref name="aTile"/>, B tile <paramref name="bTile"/> &gt; A tile): A points in
    /// lanes, B points in rows. Adds A's terms to A's running sums as <see cref="ColumnStrip"/> does, and B's to B's:
    /// the value and B-block terms as per-row vector partials reduced across lanes at the end, the pair-channel terms
    /// ω_a ∂k/∂z_p as a second 64 × 64 tile, transposed in registers, whose product with A's packed vectors gives
    /// Σ_a ω_a ∂k/∂z_p v(a).
    /// </summary>
    private void ExecuteBlock<TL, TVec>(int aTile, int bTile, Scratch scratch)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        if (!_gradients)
        {
            ExecuteValueBlock<TL, TVec>(aTile, bTile, scratch);
            return;
        }

        PairSide side = _a!;
        int w = TL.Count;
        int d = side.Dimension;
        int capacity = side.Capacity;
        int block = _blockCount;
        int pairCount = _pairCount;
        int rows = BeginBlock<TL, TVec>(aTile, bTile, scratch, 1 + block, out int a0, out int b0);
        ref double pair = ref scratch.Pair.Data;
        ref double pairB = ref scratch.PairB.Data;
        ref double pairBTransposed = ref scratch.PairBTransposed.Data;
        ref double bSums = ref scratch.BSums.Data;
        if (rows < Tiles.Particles)
        {
            // The B side's product reads every row of ω_a ∂k/∂z_p: the rows past the B points are zero.
            for (int p = 0; p < pairCount; p++)
            {
                scratch.PairB.Span((p * TileArea) + (rows * Tiles.Particles), (Tiles.Particles - rows) * Tiles.Particles).Clear();
            }
        }

        double[] sumsA = _carry!.Sums[aTile], sumsB = _carry.Sums[bTile];
        double[] pairSumsA = _carry.PairSums[aTile], pairSumsB = _carry.PairSums[bTile];
        ref double blockData = ref MemoryMarshal.GetArrayDataReference(side.Block);
        ref double weights = ref MemoryMarshal.GetArrayDataReference(side.Weights);
        int sides = _sides;
        Span<TVec> inputs = AlignedVectors.Carve<TVec>(stackalloc byte[AlignedVectors.Bytes<TVec>(_pairOffset + pairCount + (2 * sides))]);
        Span<TVec> gradient = AlignedVectors.Carve<TVec>(stackalloc byte[AlignedVectors.Bytes<TVec>(_pairOffset + pairCount)]);
        int start = 0;
        if (PairedStrips && FusedBlocks)
        {
            for (; start + (2 * w) <= Tiles.Particles; start += 2 * w)
            {
                SymmetricStripPair<TL, TVec>(
                    ref Unsafe.Add(ref blockData, a0 + start), ref Unsafe.Add(ref blockData, b0), capacity, ref Unsafe.Add(ref weights, b0),
                    TL.Load(ref Unsafe.Add(ref weights, a0 + start)), TL.Load(ref Unsafe.Add(ref weights, a0 + start + w)),
                    ref Unsafe.Add(ref pair, start), ref Unsafe.Add(ref pairB, start), rows, ref sumsA[start], ref bSums);
            }
        }

        for (int il = start; il < Tiles.Particles; il += w)
        {
            for (int k = 0; k < block; k++)
            {
                inputs[k] = TL.Load(ref Unsafe.Add(ref blockData, (k * capacity) + a0 + il));
            }

            LoadSideValues<TL, TVec>(inputs, _pairOffset + pairCount, sides, ref Unsafe.Add(ref blockData, (block * capacity) + a0 + il), capacity);
            SymmetricStrip<TL, TVec>(
                inputs, gradient, block, pairCount, sides, ref Unsafe.Add(ref blockData, b0), capacity, ref Unsafe.Add(ref weights, b0), TL.Load(ref Unsafe.Add(ref weights, a0 + il)),
                ref Unsafe.Add(ref pair, il), ref Unsafe.Add(ref pairB, il), rows, ref sumsA[il], ref bSums);
        }

        for (int p = 0; p < pairCount; p++)
        {
            int vector = _pairs[p].First;

            // A: Σ_b v(b)[k] · ω_b ∂k/∂z_p(a, b), as in the ordered schedule.
            TileProduct.Multiply<TL, TVec>(
                ref side.Transposed[vector][b0 * d], Tiles.Particles, 1, d, rows, ref Unsafe.Add(ref pair, p * TileArea),
                ref pairSumsA[p * d * Tiles.Particles], accumulate: true);

            // B: Σ_a v(a)[k] · ω_a ∂k/∂z_p(a, b), from the tile transposed (rows = A points).
            ref double transposed = ref Unsafe.Add(ref pairBTransposed, p * TileArea);
            TransposeTile(ref Unsafe.Add(ref pairB, p * TileArea), ref transposed);
            TileProduct.Multiply<TL, TVec>(
                ref side.Transposed[vector][a0 * d], Tiles.Particles, 1, d, Tiles.Particles, ref transposed,
                ref pairSumsB[p * d * Tiles.Particles], accumulate: true);

            // B: Σ_a ω_a ∂k/∂z_p(a, b), the rows of the transposed tile summed in order.
            ref double target = ref sumsB[(1 + block + p) * Tiles.Particles];
            for (int r = 0; r < Tiles.Particles; r += w)
            {
                TVec sum = TL.Zero;
                for (int a = 0; a < Tiles.Particles; a++)
                {
                    sum = TL.Add(sum, TL.Load(ref Unsafe.Add(ref transposed, (a * Tiles.Particles) + r)));
                }

                AddTo<TL, TVec>(ref Unsafe.Add(ref target, r), sum);
            }
        }

        // B: the value and B-block sums, each row's lane partials summed.
        for (int q = 0; q <= block; q++)
        {
            for (int r = 0; r < rows; r++)
            {
                sumsB[(q * Tiles.Particles) + r] += TL.Sum(TL.Load(ref Unsafe.Add(ref bSums, ((q * Tiles.Particles) + r) * w)));
            }
        }
    }

    /// <summary>
    /// A block's start: its first slots, its B points (the rows; the return value), the pair channels into the worker's
    /// tile buffer, and <paramref name="partialRows"/> × 64 of B's vector partials cleared.
    /// </summary>
    private int BeginBlock<TL, TVec>(int aTile, int bTile, Scratch scratch, int partialRows, out int a0, out int b0)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        PairSide side = _a!;
        a0 = aTile * Tiles.Particles;
        b0 = bTile * Tiles.Particles;
        if (side.Count - a0 < Tiles.Particles)
        {
            // Only the last tile is partial, and it is never the lower tile of a block.
            throw new InvalidOperationException($"The symmetric schedule's A tile {aTile} is partial.");
        }

        int rows = Math.Min(Tiles.Particles, side.Count - b0);
        ComputePairChannels<TL, TVec>(side, side, a0, b0, rows, side.Dimension, ref scratch.Pair.Data);
        scratch.BSums.Span(0, partialRows * Tiles.Particles * TL.Count).Clear();
        return rows;
    }

    /// <summary>
    /// The off-diagonal block (A tile <paramref name="aTile"/>, B tile <paramref name="bTile"/> &gt; A tile), values only:
    /// Σ_b ω_b k(a, b) added to A's values and Σ_a ω_a k(a, b) to B's, each from zero over the block (B's as per-row
    /// vector partials summed across lanes at the end).
    /// </summary>
    private void ExecuteValueBlock<TL, TVec>(int aTile, int bTile, Scratch scratch)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        PairSide side = _a!;
        int w = TL.Count;
        int capacity = side.Capacity;
        int block = _blockCount;
        int pairOffset = _pairOffset;
        int pairCount = _pairCount;
        int rows = BeginBlock<TL, TVec>(aTile, bTile, scratch, 1, out int a0, out int b0);
        ref double pair = ref scratch.Pair.Data;
        ref double partials = ref scratch.BSums.Data;
        ref double blockData = ref MemoryMarshal.GetArrayDataReference(side.Block);
        ref double weights = ref MemoryMarshal.GetArrayDataReference(side.Weights);
        ref double values = ref MemoryMarshal.GetArrayDataReference(_values);
        int sides = _sides;
        Span<TVec> inputs = AlignedVectors.Carve<TVec>(stackalloc byte[AlignedVectors.Bytes<TVec>(pairOffset + pairCount + (2 * sides))]);
        int start = 0;
        if (PairedStrips && FusedBlocks)
        {
            for (; start + (2 * w) <= Tiles.Particles; start += 2 * w)
            {
                SymmetricValueStripPair<TL, TVec>(
                    ref Unsafe.Add(ref blockData, a0 + start), ref Unsafe.Add(ref blockData, b0), capacity, ref Unsafe.Add(ref weights, b0),
                    TL.Load(ref Unsafe.Add(ref weights, a0 + start)), TL.Load(ref Unsafe.Add(ref weights, a0 + start + w)),
                    ref Unsafe.Add(ref pair, start), rows, ref Unsafe.Add(ref values, a0 + start), ref partials);
            }
        }

        for (int il = start; il < Tiles.Particles; il += w)
        {
            for (int k = 0; k < block; k++)
            {
                inputs[k] = TL.Load(ref Unsafe.Add(ref blockData, (k * capacity) + a0 + il));
            }

            LoadSideValues<TL, TVec>(inputs, pairOffset + pairCount, sides, ref Unsafe.Add(ref blockData, (block * capacity) + a0 + il), capacity);
            TVec aWeight = TL.Load(ref Unsafe.Add(ref weights, a0 + il));
            TVec value = TL.Zero;
            for (int r = 0; r < rows; r++)
            {
                for (int k = 0; k < block; k++)
                {
                    inputs[block + k] = TL.Broadcast(Unsafe.Add(ref blockData, (k * capacity) + b0 + r));
                }

                BroadcastSideValues<TL, TVec>(inputs, pairOffset + pairCount + sides, sides, ref Unsafe.Add(ref blockData, (block * capacity) + b0 + r), capacity);

                for (int p = 0; p < pairCount; p++)
                {
                    inputs[pairOffset + p] = TL.Load(ref Unsafe.Add(ref pair, (p * TileArea) + (r * Tiles.Particles) + il));
                }

                TVec kernel = TOp.Value<TL, TVec>(inputs);
                value = TL.MultiplyAdd(TL.Broadcast(Unsafe.Add(ref weights, b0 + r)), kernel, value);
                ref double partial = ref Unsafe.Add(ref partials, r * w);
                TL.Store(TL.MultiplyAdd(aWeight, kernel, TL.Load(ref partial)), ref partial);
            }

            AddTo<TL, TVec>(ref Unsafe.Add(ref values, a0 + il), value);
        }

        for (int r = 0; r < rows; r++)
        {
            Unsafe.Add(ref values, b0 + r) += TL.Sum(TL.Load(ref Unsafe.Add(ref partials, r * w)));
        }
    }

    /// <summary>
    /// One lane group of A points against the block's B rows: A's sums as <see cref="ColumnStrip"/> (from zero over the
    /// rows, then added to the tile's running sums; ω_b ∂k/∂z_p written over the pair channels), and B's terms with A's
    /// weights: the value and B-block gradient added to the rows' vector partials, ω_a ∂k/∂z_p into
    /// <paramref name="pairB"/>.
    /// </summary>
    private static void SymmetricStrip<TL, TVec>(
        Span<TVec> inputs, Span<TVec> gradient, int block, int pairCount, int sides, ref double bBlockData, int capacity, ref double bWeights, TVec aWeight,
        ref double pair, ref double pairB, int rows, ref double tileSums, ref double bSums)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int w = TL.Count;
        int pairOffset = 2 * block;
        int partialStride = Tiles.Particles * w;
        TVec value = TL.Zero, s0 = TL.Zero, s1 = TL.Zero, s2 = TL.Zero, s3 = TL.Zero, c0 = TL.Zero, c1 = TL.Zero;
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < block; k++)
            {
                inputs[block + k] = TL.Broadcast(Unsafe.Add(ref bBlockData, (k * capacity) + r));
            }

            BroadcastSideValues<TL, TVec>(inputs, pairOffset + pairCount + sides, sides, ref Unsafe.Add(ref bBlockData, (block * capacity) + r), capacity);
            int offset = r * Tiles.Particles;
            if (pairCount > 0)
            {
                inputs[pairOffset] = TL.Load(ref Unsafe.Add(ref pair, offset));
                if (pairCount > 1)
                {
                    inputs[pairOffset + 1] = TL.Load(ref Unsafe.Add(ref pair, TileArea + offset));
                }
            }

            TVec bWeight = TL.Broadcast(Unsafe.Add(ref bWeights, r));
            TVec kernel = TOp.ValueAndGradient<TL, TVec>(inputs, gradient);
            value = TL.MultiplyAdd(bWeight, kernel, value);
            AccumulateBlock<TL, TVec>(bWeight, gradient, block, ref s0, ref s1, ref s2, ref s3);

            if (pairCount > 0)
            {
                TVec g = gradient[pairOffset];
                TVec gA = TL.Multiply(bWeight, g);
                c0 = TL.Add(c0, gA);
                TL.Store(gA, ref Unsafe.Add(ref pair, offset));
                TL.Store(TL.Multiply(aWeight, g), ref Unsafe.Add(ref pairB, offset));
                if (pairCount > 1)
                {
                    g = gradient[pairOffset + 1];
                    gA = TL.Multiply(bWeight, g);
                    c1 = TL.Add(c1, gA);
                    TL.Store(gA, ref Unsafe.Add(ref pair, TileArea + offset));
                    TL.Store(TL.Multiply(aWeight, g), ref Unsafe.Add(ref pairB, TileArea + offset));
                }
            }

            ref double partial = ref Unsafe.Add(ref bSums, r * w);
            TL.Store(TL.MultiplyAdd(aWeight, kernel, TL.Load(ref partial)), ref partial);
            for (int k = 0; k < block; k++)
            {
                ref double term = ref Unsafe.Add(ref partial, (1 + k) * partialStride);
                TL.Store(TL.MultiplyAdd(aWeight, gradient[block + k], TL.Load(ref term)), ref term);
            }
        }

        AddTo<TL, TVec>(ref tileSums, value);
        Span<TVec> sums = [s0, s1, s2, s3];
        for (int k = 0; k < block; k++)
        {
            AddTo<TL, TVec>(ref Unsafe.Add(ref tileSums, (1 + k) * Tiles.Particles), sums[k]);
        }

        if (pairCount > 0)
        {
            AddTo<TL, TVec>(ref Unsafe.Add(ref tileSums, (1 + block) * Tiles.Particles), c0);
            if (pairCount > 1)
            {
                AddTo<TL, TVec>(ref Unsafe.Add(ref tileSums, (2 + block) * Tiles.Particles), c1);
            }
        }
    }

    /// <summary>
    /// Whether the operator's fused K with ∇K takes blocks and the layout fits <see cref="SymmetricStripPair"/>'s fixed
    /// accumulators and unrolled loads: at most 2 inputs per side block, 2 pair channels and 2 side values per point. A
    /// JIT-time constant.
    /// </summary>
    private static bool FusedBlocks => TOp.HasFusedBlocks && TOp.ABlock <= 2 && TOp.PairCount <= 2 && TOp.SideValueCount <= 2;

    /// <summary>
    /// <see cref="SymmetricStrip"/> for two lane groups of A points (lanes 0 … w − 1 and w … 2w − 1 from
    /// <paramref name="aBlockData"/>, <paramref name="pair"/>, <paramref name="pairB"/> and <paramref name="tileSums"/>)
    /// against the same B rows, each group's inputs and gradient in <see cref="InputBlock{TVec}"/> fields at constant
    /// indices (registers; through spans every input and gradient entry is a store and a reload on the kernel's
    /// dependency chain, and on a Zen 5 a vector store reaches its reload after about 13 cycles). Each row's broadcasts
    /// are loaded once for both groups, and B's partials are read and written once for both, the second group's term
    /// added after the first's: the same operations in the same order as two <see cref="SymmetricStrip"/> calls, so the
    /// same bits. Needs 32 vector registers for its 10 accumulators, two blocks and the kernel's temporaries.
    /// </summary>
    private static void SymmetricStripPair<TL, TVec>(
        ref double aBlockData, ref double bBlockData, int capacity, ref double bWeights, TVec aWeight0, TVec aWeight1, ref double pair, ref double pairB, int rows,
        ref double tileSums, ref double bSums)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int w = TL.Count;
        int block = TOp.ABlock, pairOffset = TOp.PairOffset, pairCount = TOp.PairCount;
        int partialStride = Tiles.Particles * w;
        InputBlock<TVec> x0 = default, x1 = default, g0 = default, g1 = default;
        LoadAPoints<TL, TVec>(ref x0, ref aBlockData, capacity);
        LoadAPoints<TL, TVec>(ref x1, ref Unsafe.Add(ref aBlockData, w), capacity);
        TVec value0 = TL.Zero, s00 = TL.Zero, s01 = TL.Zero, c00 = TL.Zero, c01 = TL.Zero;
        TVec value1 = TL.Zero, s10 = TL.Zero, s11 = TL.Zero, c10 = TL.Zero, c11 = TL.Zero;
        for (int r = 0; r < rows; r++)
        {
            LoadRowPair<TL, TVec>(ref x0, ref x1, ref bBlockData, capacity, ref pair, r);
            int offset = r * Tiles.Particles;
            TVec bWeight = TL.Broadcast(Unsafe.Add(ref bWeights, r));
            TVec kernel0 = EvaluateBlock<TL, TVec>(ref x0, ref g0, bWeight, ref value0, ref s00, ref s01);
            TVec kernel1 = EvaluateBlock<TL, TVec>(ref x1, ref g1, bWeight, ref value1, ref s10, ref s11);

            if (pairCount > 0)
            {
                TVec gp0 = InputBlock<TVec>.Get(ref g0, pairOffset), gp1 = InputBlock<TVec>.Get(ref g1, pairOffset);
                TVec gA0 = TL.Multiply(bWeight, gp0), gA1 = TL.Multiply(bWeight, gp1);
                c00 = TL.Add(c00, gA0);
                c10 = TL.Add(c10, gA1);
                TL.Store(gA0, ref Unsafe.Add(ref pair, offset));
                TL.Store(gA1, ref Unsafe.Add(ref pair, offset + w));
                TL.Store(TL.Multiply(aWeight0, gp0), ref Unsafe.Add(ref pairB, offset));
                TL.Store(TL.Multiply(aWeight1, gp1), ref Unsafe.Add(ref pairB, offset + w));
                if (pairCount > 1)
                {
                    gp0 = InputBlock<TVec>.Get(ref g0, pairOffset + 1);
                    gp1 = InputBlock<TVec>.Get(ref g1, pairOffset + 1);
                    gA0 = TL.Multiply(bWeight, gp0);
                    gA1 = TL.Multiply(bWeight, gp1);
                    c01 = TL.Add(c01, gA0);
                    c11 = TL.Add(c11, gA1);
                    TL.Store(gA0, ref Unsafe.Add(ref pair, TileArea + offset));
                    TL.Store(gA1, ref Unsafe.Add(ref pair, TileArea + offset + w));
                    TL.Store(TL.Multiply(aWeight0, gp0), ref Unsafe.Add(ref pairB, TileArea + offset));
                    TL.Store(TL.Multiply(aWeight1, gp1), ref Unsafe.Add(ref pairB, TileArea + offset + w));
                }
            }

            ref double partial = ref Unsafe.Add(ref bSums, r * w);
            TL.Store(TL.MultiplyAdd(aWeight1, kernel1, TL.MultiplyAdd(aWeight0, kernel0, TL.Load(ref partial))), ref partial);
            if (block > 0)
            {
                ref double term = ref Unsafe.Add(ref partial, partialStride);
                TL.Store(TL.MultiplyAdd(aWeight1, InputBlock<TVec>.Get(ref g1, block), TL.MultiplyAdd(aWeight0, InputBlock<TVec>.Get(ref g0, block), TL.Load(ref term))), ref term);
                if (block > 1)
                {
                    term = ref Unsafe.Add(ref partial, 2 * partialStride);
                    TL.Store(TL.MultiplyAdd(aWeight1, InputBlock<TVec>.Get(ref g1, block + 1), TL.MultiplyAdd(aWeight0, InputBlock<TVec>.Get(ref g0, block + 1), TL.Load(ref term))), ref term);
                }
            }
        }

        AddStripSums<TL, TVec>(ref tileSums, value0, s00, s01, c00, c01);
        AddStripSums<TL, TVec>(ref Unsafe.Add(ref tileSums, w), value1, s10, s11, c10, c11);
    }

    /// <summary>
    /// <see cref="ExecuteValueBlock"/>'s strip for two lane groups of A points with their inputs in blocks (as
    /// <see cref="SymmetricStripPair"/>): Σ_b ω_b K(a, b) added to each group's values, ω_a K into B's vector partials
    /// (the second group's term after the first's) — the operations and order of two one-group passes, so the same bits.
    /// K comes from the model's block overload of <c>Kernel</c> (the span strip's program, from registers).
    /// </summary>
    private static void SymmetricValueStripPair<TL, TVec>(
        ref double aBlockData, ref double bBlockData, int capacity, ref double bWeights, TVec aWeight0, TVec aWeight1, ref double pair, int rows,
        ref double values, ref double partials)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int w = TL.Count;
        InputBlock<TVec> x0 = default, x1 = default;
        LoadAPoints<TL, TVec>(ref x0, ref aBlockData, capacity);
        LoadAPoints<TL, TVec>(ref x1, ref Unsafe.Add(ref aBlockData, w), capacity);
        TVec value0 = TL.Zero, value1 = TL.Zero;
        for (int r = 0; r < rows; r++)
        {
            LoadRowPair<TL, TVec>(ref x0, ref x1, ref bBlockData, capacity, ref pair, r);
            TVec bWeight = TL.Broadcast(Unsafe.Add(ref bWeights, r));
            TVec kernel0 = TOp.ValueBlock<TL, TVec>(ref x0);
            value0 = TL.MultiplyAdd(bWeight, kernel0, value0);
            TVec kernel1 = TOp.ValueBlock<TL, TVec>(ref x1);
            value1 = TL.MultiplyAdd(bWeight, kernel1, value1);
            ref double partial = ref Unsafe.Add(ref partials, r * w);
            TL.Store(TL.MultiplyAdd(aWeight1, kernel1, TL.MultiplyAdd(aWeight0, kernel0, TL.Load(ref partial))), ref partial);
        }

        AddTo<TL, TVec>(ref values, value0);
        AddTo<TL, TVec>(ref Unsafe.Add(ref values, w), value1);
    }

    /// <summary>
    /// B row <paramref name="r"/> into both lane groups' blocks: its block inputs and side values, broadcast once for both,
    /// and each group's pair channels from the 64 × 64 buffer(s) at <paramref name="pair"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadRowPair<TL, TVec>(ref InputBlock<TVec> x0, ref InputBlock<TVec> x1, ref double bBlockData, int capacity, ref double pair, int r)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int w = TL.Count;
        int block = TOp.ABlock, pairOffset = TOp.PairOffset, pairCount = TOp.PairCount, sides = TOp.SideValueCount;
        int bSides = pairOffset + pairCount + sides;

        // B's block inputs and side values, one broadcast for both groups.
        if (block > 0)
        {
            TVec b = TL.Broadcast(Unsafe.Add(ref bBlockData, r));
            InputBlock<TVec>.Set(ref x0, block, b);
            InputBlock<TVec>.Set(ref x1, block, b);
            if (block > 1)
            {
                b = TL.Broadcast(Unsafe.Add(ref bBlockData, capacity + r));
                InputBlock<TVec>.Set(ref x0, block + 1, b);
                InputBlock<TVec>.Set(ref x1, block + 1, b);
            }
        }

        if (sides > 0)
        {
            TVec b = TL.Broadcast(Unsafe.Add(ref bBlockData, (block * capacity) + r));
            InputBlock<TVec>.Set(ref x0, bSides, b);
            InputBlock<TVec>.Set(ref x1, bSides, b);
            if (sides > 1)
            {
                b = TL.Broadcast(Unsafe.Add(ref bBlockData, ((block + 1) * capacity) + r));
                InputBlock<TVec>.Set(ref x0, bSides + 1, b);
                InputBlock<TVec>.Set(ref x1, bSides + 1, b);
            }
        }

        int offset = r * Tiles.Particles;
        if (pairCount > 0)
        {
            InputBlock<TVec>.Set(ref x0, pairOffset, TL.Load(ref Unsafe.Add(ref pair, offset)));
            InputBlock<TVec>.Set(ref x1, pairOffset, TL.Load(ref Unsafe.Add(ref pair, offset + w)));
            if (pairCount > 1)
            {
                InputBlock<TVec>.Set(ref x0, pairOffset + 1, TL.Load(ref Unsafe.Add(ref pair, TileArea + offset)));
                InputBlock<TVec>.Set(ref x1, pairOffset + 1, TL.Load(ref Unsafe.Add(ref pair, TileArea + offset + w)));
            }
        }
    }

    /// <summary>K with ∇K at one lane group from blocks, and the group's A-side sums: value += ω_b K, s_k += ω_b ∂K/∂(A input k).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec EvaluateBlock<TL, TVec>(ref InputBlock<TVec> x, ref InputBlock<TVec> g, TVec bWeight, ref TVec value, ref TVec s0, ref TVec s1)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        TVec kernel = TOp.ValueAndGradientBlock<TL, TVec>(ref x, ref g);
        value = TL.MultiplyAdd(bWeight, kernel, value);
        if (TOp.ABlock > 0)
        {
            s0 = TL.MultiplyAdd(bWeight, g.V0, s0);
            if (TOp.ABlock > 1)
            {
                s1 = TL.MultiplyAdd(bWeight, g.V1, s1);
            }
        }

        return kernel;
    }

    /// <summary>A lane group's strip sums added to its tile's running sums: the value, the (at most 2) A-block terms, the
    /// (at most 2) pair-channel terms, in the rows of <see cref="ColumnCarry"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddStripSums<TL, TVec>(ref double tileSums, TVec value, TVec s0, TVec s1, TVec c0, TVec c1)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int block = TOp.ABlock, pairCount = TOp.PairCount;
        AddTo<TL, TVec>(ref tileSums, value);
        if (block > 0)
        {
            AddTo<TL, TVec>(ref Unsafe.Add(ref tileSums, Tiles.Particles), s0);
            if (block > 1)
            {
                AddTo<TL, TVec>(ref Unsafe.Add(ref tileSums, 2 * Tiles.Particles), s1);
            }
        }

        if (pairCount > 0)
        {
            AddTo<TL, TVec>(ref Unsafe.Add(ref tileSums, (1 + block) * Tiles.Particles), c0);
            if (pairCount > 1)
            {
                AddTo<TL, TVec>(ref Unsafe.Add(ref tileSums, (2 + block) * Tiles.Particles), c1);
            }
        }
    }

    /// <summary>
    /// One lane group of A points into a block: its side-block inputs (rows 0 … of the block data) at fields 0 …, its side
    /// values (the rows after them) at the fields after the pair channels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadAPoints<TL, TVec>(ref InputBlock<TVec> x, ref double aBlockData, int capacity)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int block = TOp.ABlock, sides = TOp.SideValueCount, aSides = TOp.PairOffset + TOp.PairCount;
        if (block > 0)
        {
            x.V0 = TL.Load(ref aBlockData);
            if (block > 1)
            {
                x.V1 = TL.Load(ref Unsafe.Add(ref aBlockData, capacity));
            }
        }

        if (sides > 0)
        {
            InputBlock<TVec>.Set(ref x, aSides, TL.Load(ref Unsafe.Add(ref aBlockData, block * capacity)));
            if (sides > 1)
            {
                InputBlock<TVec>.Set(ref x, aSides + 1, TL.Load(ref Unsafe.Add(ref aBlockData, (block + 1) * capacity)));
            }
        }
    }

    /// <summary>Out[a · 64 + r] = In[r · 64 + a] for a 64 × 64 tile: 8 × 8 (or 4 × 4) blocks in registers where the CPU has them.</summary>
    private static void TransposeTile(ref double input, ref double output)
    {
        int size = BlockTranspose.Size;
        if (size == 0)
        {
            for (int r = 0; r < Tiles.Particles; r++)
            {
                for (int a = 0; a < Tiles.Particles; a++)
                {
                    Unsafe.Add(ref output, (a * Tiles.Particles) + r) = Unsafe.Add(ref input, (r * Tiles.Particles) + a);
                }
            }

            return;
        }

        for (int r = 0; r < Tiles.Particles; r += size)
        {
            for (int a = 0; a < Tiles.Particles; a += size)
            {
                BlockTranspose.Transpose(
                    size, ref Unsafe.Add(ref input, (r * Tiles.Particles) + a), Tiles.Particles, ref Unsafe.Add(ref output, (a * Tiles.Particles) + r), Tiles.Particles);
            }
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MeanField.Threading;

namespace MeanField.Reductions;

/// <summary>What the pairwise engine evaluates at a pair: a value and its gradient with respect to every input.</summary>
internal interface IPairOperator
{
    /// <summary>The value at <typeparamref name="TL"/>.Count pairs.</summary>
    static abstract TVec Value<TL, TVec>(ReadOnlySpan<TVec> inputs)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged;

    /// <summary>∂(value)/∂(every input) at <typeparamref name="TL"/>.Count pairs.</summary>
    static abstract void Gradient<TL, TVec>(ReadOnlySpan<TVec> inputs, Span<TVec> gradient)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged;

    /// <summary>The value, returned, and its gradient at <typeparamref name="TL"/>.Count pairs (the column sums that need both).</summary>
    static abstract TVec ValueAndGradient<TL, TVec>(ReadOnlySpan<TVec> inputs, Span<TVec> gradient)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged;

    /// <summary>
    /// How many values per pair the cached schedule keeps in place of the pair channels (0: the pair channels), see
    /// <see cref="INetworkModel{TSelf}.CutCount"/>.
    /// </summary>
    static abstract int CutCount { get; }

    /// <summary>The value, returned, and the kept values at <typeparamref name="TL"/>.Count pairs.</summary>
    static abstract TVec ValueAndCut<TL, TVec>(ReadOnlySpan<TVec> inputs, Span<TVec> cut)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged;

    /// <summary>The gradient from inputs whose pair-channel slots hold the kept values.</summary>
    static abstract void GradientFromCut<TL, TVec>(ReadOnlySpan<TVec> inputs, Span<TVec> gradient)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged;

    /// <summary>The operator's layout (read once, into <see cref="PairConstants{TOp}"/>).</summary>
    static abstract PairLayout Layout { get; }

    /// <summary>
    /// Whether the block operators below serve (the inputs fit an <see cref="InputBlock{TVec}"/>): the engine's fast
    /// strips then keep a pair's inputs and gradient in registers. With <see cref="ABlock"/>, <see cref="BBlock"/>,
    /// <see cref="PairOffset"/> and <see cref="PairCount"/> read from static readonly fields, which the JIT folds into
    /// constants, so the block's field accesses by index compile to plain registers.
    /// </summary>
    static abstract bool HasBlocks { get; }

    /// <summary>The side-A inputs (see <see cref="PairLayout.ABlock"/>).</summary>
    static abstract int ABlock { get; }

    /// <summary>The side-B inputs.</summary>
    static abstract int BBlock { get; }

    /// <summary>The index of the first pair channel.</summary>
    static abstract int PairOffset { get; }

    /// <summary>The pair channels.</summary>
    static abstract int PairCount { get; }

    /// <summary>
    /// The side-A values the block operators below read from the block's fields after the inputs (a network's
    /// <see cref="INetworkModel{TSelf}.PrepareA(ref InputBlock{System.Runtime.Intrinsics.Vector256{double}})"/>): called once
    /// per lane group of A points, after their inputs are in the block and before the block operators run over B points.
    /// </summary>
    static abstract void PrepareBlock<TL, TVec>(ref InputBlock<TVec> inputs)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged;

    /// <summary><see cref="Value{TL, TVec}"/> from a block.</summary>
    static abstract TVec ValueBlock<TL, TVec>(ref InputBlock<TVec> inputs)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged;

    /// <summary><see cref="Gradient{TL, TVec}"/> from and into blocks.</summary>
    static abstract void GradientBlock<TL, TVec>(ref InputBlock<TVec> inputs, ref InputBlock<TVec> gradient)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged;

    /// <summary><see cref="ValueAndCut{TL, TVec}"/> from and into blocks.</summary>
    static abstract TVec ValueAndCutBlock<TL, TVec>(ref InputBlock<TVec> inputs, ref InputBlock<TVec> cut)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged;

    /// <summary><see cref="GradientFromCut{TL, TVec}"/> from and into blocks.</summary>
    static abstract void GradientFromCutBlock<TL, TVec>(ref InputBlock<TVec> inputs, ref InputBlock<TVec> gradient)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged;

    /// <summary>
    /// Whether <see cref="ValueAndGradientBlock"/> serves: an interaction kernel whose inputs, side values included
    /// (<see cref="SideValueCount"/> per side after the pair channels), fit an <see cref="InputBlock{TVec}"/> — the
    /// symmetric schedule's strips then keep a pair's inputs and gradient in registers. A JIT-time constant.
    /// </summary>
    static abstract bool HasFusedBlocks { get; }

    /// <summary>H: the side values per point, inputs <see cref="PairOffset"/> + <see cref="PairCount"/> + k (A) and … + H + k (B).</summary>
    static abstract int SideValueCount { get; }

    /// <summary><see cref="ValueAndGradient{TL, TVec}"/> from and into blocks.</summary>
    static abstract TVec ValueAndGradientBlock<TL, TVec>(ref InputBlock<TVec> inputs, ref InputBlock<TVec> gradient)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged;
}

/// <summary>An operator's layout numbers as static readonly fields: JIT-time constants in optimised code.</summary>
/// <typeparam name="TOp">The operator (a network's unit or an interaction's kernel).</typeparam>
internal static class PairConstants<TOp>
    where TOp : struct, IPairOperator
{
    private static readonly PairLayout Layout = TOp.Layout;

    public static readonly int ABlock = Layout.ABlock;

    public static readonly int BBlock = Layout.BBlock;

    public static readonly int PairOffset = Layout.PairOffset;

    public static readonly int PairCount = Layout.PairCount;

    public static readonly int SideValues = Layout.SideValues;

    /// <summary>Whether the operator's inputs, side values included, fit an <see cref="InputBlock{TVec}"/>.</summary>
    public static readonly bool FitsBlock = Layout.InputCount <= InputBlock<double>.Capacity;
}

/// <summary>An interaction model's kernel K as the engine's operator.</summary>
/// <typeparam name="TModel">The generated interaction model.</typeparam>
internal readonly struct KernelOperator<TModel> : IPairOperator
    where TModel : struct, IInteractionModel<TModel>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Value<TL, TVec>(ReadOnlySpan<TVec> inputs)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => TL.Kernel<TModel>(inputs);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Gradient<TL, TVec>(ReadOnlySpan<TVec> inputs, Span<TVec> gradient)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => TL.KernelGradient<TModel>(inputs, gradient);

    /// <summary>The generated fused K and ∇K (shared subexpressions computed once).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec ValueAndGradient<TL, TVec>(ReadOnlySpan<TVec> inputs, Span<TVec> gradient)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => TL.KernelWithGradient<TModel>(inputs, gradient);

    /// <summary>0: an interaction's cached values would be needed with the kernel's value (never cached).</summary>
    public static int CutCount => 0;

    public static TVec ValueAndCut<TL, TVec>(ReadOnlySpan<TVec> inputs, Span<TVec> cut)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => throw new NotSupportedException("Interaction kernels keep no values per pair.");

    public static void GradientFromCut<TL, TVec>(ReadOnlySpan<TVec> inputs, Span<TVec> gradient)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => throw new NotSupportedException("Interaction kernels keep no values per pair.");

    /// <summary>
    /// False: the ordered schedule's block strips (value or gradient alone, no side values) do not serve interaction
    /// kernels, whose column sums need the fused value and gradient; the symmetric schedule's do
    /// (<see cref="HasFusedBlocks"/>).
    /// </summary>
    public static bool HasBlocks => false;

    public static PairLayout Layout => PairLayout.For(TModel.Layout);

    public static int ABlock => PairConstants<KernelOperator<TModel>>.ABlock;

    public static int BBlock => PairConstants<KernelOperator<TModel>>.BBlock;

    public static int PairOffset => PairConstants<KernelOperator<TModel>>.PairOffset;

    public static int PairCount => PairConstants<KernelOperator<TModel>>.PairCount;

    public static bool HasFusedBlocks => PairConstants<KernelOperator<TModel>>.FitsBlock;

    public static int SideValueCount => PairConstants<KernelOperator<TModel>>.SideValues;

    /// <summary>The generated fused K and ∇K from and into blocks (registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec ValueAndGradientBlock<TL, TVec>(ref InputBlock<TVec> inputs, ref InputBlock<TVec> gradient)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => TL.KernelWithGradient<TModel>(ref inputs, ref gradient);

    public static void PrepareBlock<TL, TVec>(ref InputBlock<TVec> inputs)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
    }

    /// <summary>The generated K from a block (registers); hand-written models: the span operator on the block's fields.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec ValueBlock<TL, TVec>(ref InputBlock<TVec> inputs)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => TL.Kernel<TModel>(ref inputs);

    public static void GradientBlock<TL, TVec>(ref InputBlock<TVec> inputs, ref InputBlock<TVec> gradient)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => TL.KernelGradient<TModel>(InputBlock<TVec>.AsSpan(ref inputs), InputBlock<TVec>.AsSpan(ref gradient));

    public static TVec ValueAndCutBlock<TL, TVec>(ref InputBlock<TVec> inputs, ref InputBlock<TVec> cut)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => throw new NotSupportedException("Interaction kernels keep no values per pair.");

    public static void GradientFromCutBlock<TL, TVec>(ref InputBlock<TVec> inputs, ref InputBlock<TVec> gradient)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => throw new NotSupportedException("Interaction kernels keep no values per pair.");
}

/// <summary>
/// Receives the column gradient sums of one work item in place of <see cref="PairEngine{TOp}.Sums"/> and
/// <see cref="PairEngine{TOp}.PairSums"/>, while they are still in the worker's cache (a network applies its chain
/// rule there).
/// </summary>
internal interface IPairColumnSink
{
    /// <summary>
    /// The sums of A slots [<paramref name="slot"/>, <paramref name="slot"/> + <paramref name="count"/>), lane
    /// <paramref name="lane"/> onward of their tile: <paramref name="sums"/>[k·64 + lane] = Σ ω ∂k/∂(A input k) (then
    /// the pair-channel rows, if the layout asks for them), <paramref name="pairSums"/>[(p·d + k)·64 + lane] =
    /// Σ ω ∂k/∂z_p · v_Second(b)[k]. Called on worker <paramref name="worker"/>.
    /// </summary>
    void Write(int slot, int count, int lane, ReadOnlySpan<double> sums, ReadOnlySpan<double> pairSums, int worker);
}

/// <summary>A network model's unit φ as the engine's operator (side A: the particle, side B: the sample).</summary>
/// <typeparam name="TModel">The generated network model.</typeparam>
internal readonly struct UnitOperator<TModel> : IPairOperator
    where TModel : struct, INetworkModel<TModel>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Value<TL, TVec>(ReadOnlySpan<TVec> inputs)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => TL.Unit<TModel>(inputs);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Gradient<TL, TVec>(ReadOnlySpan<TVec> inputs, Span<TVec> gradient)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => TL.UnitGradient<TModel>(inputs, gradient);

    /// <summary>
    /// φ and ∇φ by two calls: no network evaluation needs both (the Wasserstein gradient's column sums take no values),
    /// so networks have no fused operator.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec ValueAndGradient<TL, TVec>(ReadOnlySpan<TVec> inputs, Span<TVec> gradient)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        TL.UnitGradient<TModel>(inputs, gradient);
        return TL.Unit<TModel>(inputs);
    }

    public static int CutCount => TModel.CutCount;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec ValueAndCut<TL, TVec>(ReadOnlySpan<TVec> inputs, Span<TVec> cut)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => TL.UnitAndCut<TModel>(inputs, cut);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void GradientFromCut<TL, TVec>(ReadOnlySpan<TVec> inputs, Span<TVec> gradient)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => TL.UnitGradientFromCut<TModel>(inputs, gradient);

    public static PairLayout Layout => PairLayout.For(TModel.Layout);

    public static bool HasBlocks => PairConstants<UnitOperator<TModel>>.FitsBlock;

    public static int ABlock => PairConstants<UnitOperator<TModel>>.ABlock;

    public static int BBlock => PairConstants<UnitOperator<TModel>>.BBlock;

    public static int PairOffset => PairConstants<UnitOperator<TModel>>.PairOffset;

    public static int PairCount => PairConstants<UnitOperator<TModel>>.PairCount;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PrepareBlock<TL, TVec>(ref InputBlock<TVec> inputs)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => TL.PrepareA<TModel>(ref inputs);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec ValueBlock<TL, TVec>(ref InputBlock<TVec> inputs)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => TL.Unit<TModel>(ref inputs);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void GradientBlock<TL, TVec>(ref InputBlock<TVec> inputs, ref InputBlock<TVec> gradient)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => TL.UnitGradient<TModel>(ref inputs, ref gradient);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec ValueAndCutBlock<TL, TVec>(ref InputBlock<TVec> inputs, ref InputBlock<TVec> cut)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => TL.UnitAndCut<TModel>(ref inputs, ref cut);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void GradientFromCutBlock<TL, TVec>(ref InputBlock<TVec> inputs, ref InputBlock<TVec> gradient)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => TL.UnitGradientFromCut<TModel>(ref inputs, ref gradient);

    /// <summary>False: a network's layout is not symmetric (samples on side B), so the symmetric schedule never runs it.</summary>
    public static bool HasFusedBlocks => false;

    public static int SideValueCount => 0;

    /// <summary>φ and ∇φ from blocks by two calls, as <see cref="ValueAndGradient{TL, TVec}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec ValueAndGradientBlock<TL, TVec>(ref InputBlock<TVec> inputs, ref InputBlock<TVec> gradient)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        TL.UnitGradient<TModel>(ref inputs, ref gradient);
        return TL.Unit<TModel>(ref inputs);
    }
}

/// <summary>
/// One unit of parallel work: the slots [64·<paramref name="Tile"/> + <paramref name="Offset"/>, … + <paramref name="Count"/>)
/// of the side that receives the sums against the slots [<paramref name="Start"/>, <paramref name="End"/>) of the other
/// side. Column drivers: the tile is on side A (Offset a multiple of 8, Offset + Count ≤ 64), the range on side B; row
/// sums: the tile on side B (Offset 0), the range (starting on a whole tile) on side A.
/// </summary>
internal readonly record struct PairWorkItem(int Tile, int Count, int Start, int End, int Offset = 0);

/// <summary>
/// The pairwise tile engine, with two drivers. <see cref="Run"/> (column sums): for every A point a of the work items,
/// the sums over its B range of ω_b·k(a, b) (the values) and, on request, of ω_b·∇_A k(a, b) in channel form (the column
/// gradient sums), with ω_b the B side's weights and k the operator <typeparamref name="TOp"/>. <see cref="RunRowSums"/>:
/// for every B point b, Σ_a ω_a k(a, b) over an A range, with ω_a the A side's weights (the network's forward pass shape).
/// </summary>
/// <remarks>
/// <para><b>Schedule.</b> A work item is one A tile (64 slots) against a B range, walked in chunks of 64 B points.
/// Per chunk the pair channels are computed into a 64 × 64 buffer — dot products by <see cref="TileProduct"/>,
/// squared distances directly by <see cref="TileDistance"/> — then the operator runs on W A points at once
/// (Vector512/256/128) for each B point of the chunk. The pair-channel part of the gradient, Σ_b ω_b ∂k/∂z_p · v(b), is
/// a second small matrix product per chunk.</para>
/// <para><b>Determinism.</b> Each A point's sums run over its B range in order inside one work item, so which thread runs
/// it never changes the arithmetic: results are bit-identical for every thread count.</para>
/// <para><b>Outputs</b> (per A slot, stride = the A side's capacity): the values (an array given per run),
/// <see cref="Sums"/> rows 0 … B−1 (B = the A block): Σ ω ∂k/∂(A scalar or channel); rows B … B+P−1 (when the layout
/// asks for them): Σ ω ∂k/∂z_p;
/// <see cref="PairSums"/>[p]: Σ ω ∂k/∂z_p · v_Second(b), slot-major rows of d.</para>
/// </remarks>
/// <typeparam name="TOp">The operator.</typeparam>
internal sealed partial class PairEngine<TOp> : ITileWork
    where TOp : struct, IPairOperator
{
    private const int TileArea = Tiles.Particles * Tiles.Particles;

    /// <summary>The most B tiles one row-sums work item may hold (<see cref="RunRowSums"/>).</summary>
    internal const int RowGroupTiles = 16;

    private readonly TileWorkerPool _pool;
    private readonly SimdWidth _width;
    private readonly int _blockCount;
    private readonly int _bBlockCount;
    private readonly int _pairCount;
    private readonly int _pairOffset;
    private readonly int _sumRows;
    private readonly int _sides;
    private readonly bool _pairChannelSums;
    private readonly int _cutCount;
    private readonly int _planes;
    private readonly PairChannel[] _pairs;
    private readonly Scratch[] _scratch;

    // The running call's arguments (set on the calling thread before the pool runs).
    private PairSide? _a;
    private PairSide? _b;
    private PairWorkItem[] _items = [];
    private double[] _values = [];
    private bool _gradients;
    private bool _valueSums;
    private bool _accumulate;
    private bool _rowSums;
    private IPairColumnSink? _sink;
    private double[]? _cache;

    /// <summary>The index of the cache's first block: its first 64-byte boundary (the cache has <see cref="AlignedArrays.Slack"/> doubles of slack).</summary>
    private int _cacheStart;
    private int _cacheBTiles;
    private int _cacheFirstBTile;
    private ColumnCarry? _carry;
    private bool _resume;
    private bool _finish = true;

    public PairEngine(PairLayout layout, TileWorkerPool pool, SimdWidth width)
    {
        _pool = pool;
        _width = width;
        _blockCount = layout.ABlock;
        _bBlockCount = layout.BBlock;
        _pairCount = layout.PairCount;
        _pairOffset = layout.PairOffset;
        _pairChannelSums = layout.PairChannelSums;
        _sumRows = _blockCount + (_pairChannelSums ? _pairCount : 0);
        _sides = layout.SideValues;
        _pairs = layout.Pairs;
        _cutCount = TOp.CutCount is > 0 and var k && (k <= _pairCount || (k <= _pairCount + MaxExtraPlanes && _pairOffset + k <= InputBlock<double>.Capacity)) ? k : 0;
        _planes = Math.Max(_pairCount, _cutCount);
        _scratch = new Scratch[pool.ThreadCount];
        for (int t = 0; t < _scratch.Length; t++)
        {
            _scratch[t] = new Scratch();
        }

        PairSums = new double[_pairCount][];
        for (int p = 0; p < _pairCount; p++)
        {
            PairSums[p] = [];
        }
    }

    /// <summary>The most values an operator may keep per pair beyond its P pair channels (<see cref="CachePlanes"/>).</summary>
    internal const int MaxExtraPlanes = 2;

    /// <summary>
    /// The 64 × 64 planes of one cache block: the P pair channels, or the K kept values where the operator keeps more
    /// than P (K ≤ P + <see cref="MaxExtraPlanes"/>, within an <see cref="InputBlock{TVec}"/>: kept value j is read
    /// from input slot <see cref="PairLayout.PairOffset"/> + j, the slots after the inputs for j ≥ P).
    /// </summary>
    public int CachePlanes => _planes;

    /// <summary>
    /// (A block + P) × capacity of the latest gradient run's A side (A block rows only when the layout asks for no
    /// pair-channel sums).
    /// </summary>
    public double[] Sums { get; private set; } = [];

    /// <summary>Per pair channel: capacity × d, slot-major.</summary>
    public double[][] PairSums { get; }

    /// <summary>
    /// The pair-channel cache (the cached schedule): while set, <see cref="RunRowSums"/> writes each (A tile, B tile)'s pair channels
    /// into block A tile · <paramref name="bTiles"/> + B tile (P × 64 × 64 doubles each) instead of a scratch buffer, and
    /// the gradient driver of <see cref="Run"/> reads them there instead of recomputing them (bit-identical; the cache
    /// is only read there, so it stays valid). Work items must start on whole tiles. Null: the streaming schedule.
    /// When the operator keeps values per pair (<see cref="IPairOperator.CutCount"/> = K, 1 ≤ K ≤ P), the row sums
    /// overwrite the first K planes of each block with them (tanh(b + w·x) for a tanh unit, computed once with the value)
    /// and the gradient driver computes the gradient from them with no function call; the gradient run must then ask
    /// for no value sums. Same bits either way.
    /// </summary>
    /// <remarks>
    /// <paramref name="firstBTile"/>: the B tile the cache's first block column holds (the blocked cache holds one
    /// block of <paramref name="bTiles"/> consecutive B tiles at a time, see <see cref="UseCarry"/>).
    /// </remarks>
    public void UseCache(double[]? cache, int bTiles, int firstBTile = 0)
    {
        _cache = cache;
        _cacheStart = cache is null ? 0 : AlignedArrays.Start(cache); // blocks from the first line boundary on (AlignedArrays)
        _cacheBTiles = bTiles;
        _cacheFirstBTile = firstBTile;
    }

    /// <summary>
    /// The column sums' carry between runs over consecutive B ranges (the blocked cache): while set, a gradient run of
    /// <see cref="Run"/> keeps each A tile's running sums in <paramref name="carry"/> instead of the worker's scratch,
    /// starting them from zero unless <paramref name="resume"/>, and hands them out (to the sink, or
    /// <see cref="Sums"/>/<see cref="PairSums"/>) only when <paramref name="finish"/>. Each A point's sums then run over
    /// the B chunks in the same order, through the same running values, as in one run over the whole B range: the same
    /// bits. Null: every run starts from zero and finishes.
    /// </summary>
    public void UseCarry(ColumnCarry? carry, bool resume, bool finish)
    {
        _carry = carry;
        _resume = carry is not null && resume;
        _finish = carry is null || finish;
    }

    /// <summary>
    /// The running column sums of every A tile between the runs of the blocked cache: per tile the (1 + sum rows) × 64
    /// value and gradient sums and the P × d × 64 pair-channel sums (grown only).
    /// </summary>
    internal sealed class ColumnCarry
    {
        public double[][] Sums = [];

        public double[][] PairSums = [];

        /// <summary>Room for <paramref name="tiles"/> A tiles of an engine with <paramref name="sumRows"/> rows, P pair channels, dimension d.</summary>
        public void Ensure(int tiles, int sumRows, int pairCount, int dimension)
        {
            int sumLength = (1 + sumRows) * Tiles.Particles;
            int pairLength = pairCount * dimension * Tiles.Particles;
            if (Sums.Length < tiles)
            {
                Array.Resize(ref Sums, tiles);
                Array.Resize(ref PairSums, tiles);
            }

            for (int t = 0; t < tiles; t++)
            {
                if (Sums[t] is null || Sums[t].Length < sumLength)
                {
                    Sums[t] = new double[sumLength];
                }

                if (PairSums[t] is null || PairSums[t].Length < pairLength)
                {
                    PairSums[t] = new double[pairLength];
                }
            }
        }
    }

    /// <summary>
    /// Runs the work items: writes each A point's value sum into <paramref name="values"/>[slot] (unless
    /// <paramref name="valueSums"/> is false, which <paramref name="gradients"/> requires: the operator's value is then
    /// never evaluated) and, when <paramref name="gradients"/>, its gradient sums into <see cref="Sums"/> and
    /// <see cref="PairSums"/> (added to the previous run's when <paramref name="accumulate"/>, else overwritten), or
    /// hands them to <paramref name="sink"/> per work item when one is given.
    /// </summary>
    public void Run(
        PairSide a, PairSide b, PairWorkItem[] items, int itemCount, double[] values, bool gradients, bool accumulate, bool valueSums = true, IPairColumnSink? sink = null)
    {
        int d = a.Dimension;
        foreach (Scratch scratch in _scratch)
        {
            scratch.Ensure(_blockCount + 1 + _pairCount, _pairCount, d);
        }

        if (gradients && sink is null)
        {
            EnsureOutputs(a.Capacity, d);
        }

        if (gradients && valueSums && _cache is not null && _cutCount > 0)
        {
            throw new InvalidOperationException("The cache holds the operator's kept values, not the pair channels: a gradient run on it cannot sum values.");
        }

        _a = a;
        _b = b;
        _items = items;
        _values = values;
        _gradients = gradients;
        _valueSums = valueSums || !gradients;
        _accumulate = accumulate;
        _sink = sink;
        _rowSums = false;
        try
        {
            _pool.Run(this, itemCount);
        }
        finally
        {
            _a = null;
            _b = null;
            _sink = null;
        }
    }

    /// <summary>
    /// Row sums: for every work item (up to <see cref="RowGroupTiles"/> consecutive tiles of B points — Tile the first,
    /// Count the points — against an A range that starts on a whole tile), writes
    /// Σ_a ω_a k(a, b) into <paramref name="values"/>[item.Offset + slot of b], summed over the A tiles in order (SIMD groups of A
    /// points, the last partial group masked, so slots outside the A range never enter a sum).
    /// </summary>
    public void RunRowSums(PairSide a, PairSide b, PairWorkItem[] items, int itemCount, double[] values)
    {
        foreach (Scratch scratch in _scratch)
        {
            scratch.Ensure(_blockCount + 1 + _pairCount, _pairCount, a.Dimension);
        }

        _a = a;
        _b = b;
        _items = items;
        _values = values;
        _gradients = false;
        _valueSums = true;
        _accumulate = false;
        _rowSums = true;
        try
        {
            _pool.Run(this, itemCount);
        }
        finally
        {
            _a = null;
            _b = null;
            _sink = null;
        }
    }

    /// <inheritdoc/>
    public void Execute(int tile, int worker)
    {
        if (_rowSums)
        {
            ExecuteRows(tile, _scratch[worker]);
            return;
        }

        if (_symmetricPhase != SymmetricPhase.None)
        {
            ExecuteSymmetric(tile, worker);
            return;
        }

        switch (_width)
        {
            case SimdWidth.V512:
                ExecuteItem<Lanes512, System.Runtime.Intrinsics.Vector512<double>>(_items[tile], _scratch[worker], worker);
                break;
            case SimdWidth.V256:
                ExecuteItem<Lanes256, System.Runtime.Intrinsics.Vector256<double>>(_items[tile], _scratch[worker], worker);
                break;
            case SimdWidth.V128:
                ExecuteItem<Lanes128, System.Runtime.Intrinsics.Vector128<double>>(_items[tile], _scratch[worker], worker);
                break;
            default:
                ExecuteItem<Lanes1, double>(_items[tile], _scratch[worker], worker);
                break;
        }
    }

    private void ExecuteItem<TL, TVec>(PairWorkItem item, Scratch scratch, int worker)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        PairSide a = _a!;
        PairSide b = _b!;
        int w = TL.Count;
        int d = a.Dimension;
        int block = _blockCount;
        int bBlock = _bBlockCount;
        int pairOffset = _pairOffset;
        int pairCount = _pairCount;
        int sumCount = _sumRows;
        int lane0 = item.Offset;
        int lanes = lane0 + ((item.Count + w - 1) / w * w);
        int aCapacity = a.Capacity;
        int bCapacity = b.Capacity;
        int a0 = item.Tile * Tiles.Particles;
        bool gradients = _gradients;
        bool valueSums = _valueSums;
        bool pairChannelSums = _pairChannelSums;
        double[]? cache = gradients ? _cache : null;
        bool fromCut = cache is not null && _cutCount > 0;
        int loaded = fromCut ? _planes : pairCount; // the planes read per pair: the channels, or the kept values
        int inputCount = pairOffset + pairCount;
        int sides = _sides;
        Span<TVec> inputs = AlignedVectors.Carve<TVec>(stackalloc byte[AlignedVectors.Bytes<TVec>(pairOffset + loaded + (2 * sides))]);
        Span<TVec> gradient = AlignedVectors.Carve<TVec>(stackalloc byte[AlignedVectors.Bytes<TVec>(inputCount)]);
        Span<TVec> accumulators = AlignedVectors.Carve<TVec>(stackalloc byte[AlignedVectors.Bytes<TVec>(1 + sumCount)]);
        ref double pair = ref scratch.Pair.Data;

        // The running sums: the worker's scratch, or this A tile's carry between the blocks of the blocked cache.
        ColumnCarry? carry = gradients ? _carry : null;
        double[] tileSumArray = carry is not null ? carry.Sums[item.Tile] : scratch.TileSums;
        double[] tilePairSumArray = carry is not null ? carry.PairSums[item.Tile] : scratch.TilePairSums;
        ref double tileSums = ref MemoryMarshal.GetArrayDataReference(tileSumArray);
        ref double aBlock = ref MemoryMarshal.GetArrayDataReference(a.Block);
        ref double bBlockData = ref MemoryMarshal.GetArrayDataReference(b.Block);
        ref double bWeights = ref MemoryMarshal.GetArrayDataReference(b.Weights);
        if (carry is null || !_resume)
        {
            tileSumArray.AsSpan(0, (1 + sumCount) * Tiles.Particles).Clear();
            if (gradients)
            {
                tilePairSumArray.AsSpan(0, pairCount * d * Tiles.Particles).Clear();
            }
        }

        // ω·∂k/∂z_p goes to the worker's tile buffer, also on the cached schedule: overwriting the cache block would
        // write the whole L × n cache back to memory once more per step.
        ref double weightedGradient = ref scratch.Pair.Data;
        for (int b0 = item.Start; b0 < item.End; b0 += Tiles.Particles)
        {
            int rows = Math.Min(Tiles.Particles, item.End - b0);
            if (cache is not null)
            {
                // Cached schedule: the row-sums pass left this (A tile, B tile)'s pair channels here.
                pair = ref CacheBlock(cache, item.Tile, (b0 / Tiles.Particles) - _cacheFirstBTile);
            }
            else
            {
                ComputePairChannels<TL, TVec>(a, b, a0, b0, rows, d, ref pair);
            }

            for (int il = lane0; il < lanes; il += w)
            {
                for (int k = 0; k < block; k++)
                {
                    inputs[k] = TL.Load(ref Unsafe.Add(ref aBlock, (k * aCapacity) + a0 + il));
                }

                LoadSideValues<TL, TVec>(inputs, inputCount, sides, ref Unsafe.Add(ref aBlock, (block * aCapacity) + a0 + il), aCapacity);

                if (gradients && block <= 4 && pairCount is 1 or 2)
                {
                    // One specialisation per gradient source, so each inlines one operator (two inline sites in one
                    // method exceeded the JIT's inlining budget: the streaming backward slowed by 15 %).
                    if (Blocks && !valueSums)
                    {
                        if (fromCut)
                        {
                            ColumnStripBlock<TL, TVec, ReadCut>(
                                inputs, ref Unsafe.Add(ref bBlockData, b0), ref Unsafe.Add(ref bWeights, b0), ref Unsafe.Add(ref pair, il),
                                ref Unsafe.Add(ref weightedGradient, il), rows, pairChannelSums, ref Unsafe.Add(ref tileSums, il));
                        }
                        else
                        {
                            ColumnStripBlock<TL, TVec, ReadChannels>(
                                inputs, ref Unsafe.Add(ref bBlockData, b0), ref Unsafe.Add(ref bWeights, b0), ref Unsafe.Add(ref pair, il),
                                ref Unsafe.Add(ref weightedGradient, il), rows, pairChannelSums, ref Unsafe.Add(ref tileSums, il));
                        }
                    }
                    else if (fromCut)
                    {
                        ColumnStrip<TL, TVec, ReadCut>(
                            inputs, gradient, block, bBlock, pairOffset, pairCount, sides, ref Unsafe.Add(ref bBlockData, b0), bCapacity,
                            ref Unsafe.Add(ref bWeights, b0), ref Unsafe.Add(ref pair, il), ref Unsafe.Add(ref weightedGradient, il),
                            rows, valueSums, pairChannelSums, ref Unsafe.Add(ref tileSums, il));
                    }
                    else
                    {
                        ColumnStrip<TL, TVec, ReadChannels>(
                            inputs, gradient, block, bBlock, pairOffset, pairCount, sides, ref Unsafe.Add(ref bBlockData, b0), bCapacity,
                            ref Unsafe.Add(ref bWeights, b0), ref Unsafe.Add(ref pair, il), ref Unsafe.Add(ref weightedGradient, il),
                            rows, valueSums, pairChannelSums, ref Unsafe.Add(ref tileSums, il));
                    }

                    continue;
                }

                accumulators.Clear();
                for (int r = 0; r < rows; r++)
                {
                    int bSlot = b0 + r;
                    for (int k = 0; k < bBlock; k++)
                    {
                        inputs[block + k] = TL.Broadcast(Unsafe.Add(ref bBlockData, (k * bCapacity) + bSlot));
                    }

                    BroadcastSideValues<TL, TVec>(inputs, inputCount + sides, sides, ref Unsafe.Add(ref bBlockData, (bBlock * bCapacity) + bSlot), bCapacity);

                    int offset = (r * Tiles.Particles) + il;
                    for (int p = 0; p < loaded; p++)
                    {
                        inputs[pairOffset + p] = TL.Load(ref Unsafe.Add(ref pair, (p * TileArea) + offset));
                    }

                    TVec weight = TL.Broadcast(Unsafe.Add(ref bWeights, bSlot));
                    if (valueSums && !gradients)
                    {
                        accumulators[0] = TL.MultiplyAdd(weight, TOp.Value<TL, TVec>(inputs), accumulators[0]);
                    }

                    if (gradients)
                    {
                        if (valueSums)
                        {
                            accumulators[0] = TL.MultiplyAdd(weight, TOp.ValueAndGradient<TL, TVec>(inputs, gradient), accumulators[0]);
                        }
                        else if (fromCut)
                        {
                            TOp.GradientFromCut<TL, TVec>(inputs, gradient);
                        }
                        else
                        {
                            TOp.Gradient<TL, TVec>(inputs, gradient);
                        }

                        for (int k = 0; k < block; k++)
                        {
                            accumulators[1 + k] = TL.MultiplyAdd(weight, gradient[k], accumulators[1 + k]);
                        }

                        for (int p = 0; p < pairCount; p++)
                        {
                            TVec g = TL.Multiply(weight, gradient[pairOffset + p]);
                            if (pairChannelSums)
                            {
                                accumulators[1 + block + p] = TL.Add(accumulators[1 + block + p], g);
                            }

                            TL.Store(g, ref Unsafe.Add(ref weightedGradient, (p * TileArea) + offset));
                        }
                    }
                }

                int used = gradients ? 1 + sumCount : 1;
                for (int k = valueSums ? 0 : 1; k < used; k++)
                {
                    ref double target = ref Unsafe.Add(ref tileSums, (k * Tiles.Particles) + il);
                    TL.Store(TL.Add(TL.Load(ref target), accumulators[k]), ref target);
                }
            }

            if (gradients)
            {
                // Σ_b v_Second(b)[k] · ω_b ∂k/∂z_p(a, b): Gᵀ X over the chunk, into [k][64 lanes]; X from the B side's
                // tiles packed transposed (component k's 64 values contiguous) when the chunk is a whole tile, else
                // (Random Batch items start anywhere) from its rows: the same products in the same order either way.
                bool packed = b0 % Tiles.Particles == 0;

                // The next chunk's cache block, asked for while this product runs (cached schedule).
                bool ahead = cache is not null && b0 + Tiles.Particles < item.End;
                ref double next = ref ahead
                    ? ref CacheBlock(cache!, item.Tile, ((b0 + Tiles.Particles) / Tiles.Particles) - _cacheFirstBTile)
                    : ref Unsafe.NullRef<double>();
                for (int p = 0; p < pairCount; p++)
                {
                    int second = _pairs[p].Second;
                    TileProduct.Multiply<TL, TVec>(
                        ref packed ? ref b.Transposed[second][b0 * d] : ref b.Rows[second][b0 * d],
                        packed ? Tiles.Particles : 1, packed ? 1 : d, d, rows,
                        ref Unsafe.Add(ref weightedGradient, p * TileArea),
                        ref tilePairSumArray[p * d * Tiles.Particles],
                        accumulate: true,
                        ref next, ahead && p == 0 ? _planes * TileArea : 0);
                }
            }
        }

        if (carry is null || _finish)
        {
            WriteOutputs(item, tileSumArray, tilePairSumArray, a0, aCapacity, d, sumCount, worker);
        }
    }

    /// <summary>The pair channels of A slots [a0, a0 + 64) against B slots [b0, b0 + rows) into the P × 64 × 64 buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ComputePairChannels<TL, TVec>(PairSide a, PairSide b, int a0, int b0, int rows, int d, ref double pair)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
        => ComputePairChannels<TL, TVec>(a, b, a0, b0, rows, d, ref pair, ref Unsafe.NullRef<double>(), 0);

    /// <summary>The same, asking meanwhile for <paramref name="prefetchDoubles"/> doubles from <paramref name="prefetch"/> on (the next cache block).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ComputePairChannels<TL, TVec>(PairSide a, PairSide b, int a0, int b0, int rows, int d, ref double pair, ref double prefetch, int prefetchDoubles)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        for (int p = 0; p < _pairCount; p++)
        {
            PairChannel channel = _pairs[p];
            ref double bRows = ref b.Rows[channel.Second][b0 * d];
            ref double aTransposed = ref a.Transposed[channel.First][a0 * d];
            if (channel.Kind == PairChannelKind.Dot)
            {
                TileProduct.Multiply<TL, TVec>(
                    ref bRows, d, 1, rows, d, ref aTransposed, ref Unsafe.Add(ref pair, p * TileArea), accumulate: false,
                    ref prefetch, p == 0 ? prefetchDoubles : 0);
            }
            else
            {
                TileDistance.Compute<TL, TVec>(ref bRows, d, 1, rows, d, ref aTransposed, ref Unsafe.Add(ref pair, p * TileArea));
            }
        }
    }

    /// <summary>The cache's P × 64 × 64 block of (A tile, B tile): blocks ordered A tile major.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref double CacheBlock(double[] cache, int aTile, int bTile)
    {
        long index = ((long)aTile * _cacheBTiles) + bTile;
        return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(cache), (nint)((index * _planes * TileArea) + _cacheStart));
    }

    private void ExecuteRows(int tile, Scratch scratch)
    {
        switch (_width)
        {
            case SimdWidth.V512:
                ExecuteRows<Lanes512, System.Runtime.Intrinsics.Vector512<double>>(_items[tile], scratch);
                break;
            case SimdWidth.V256:
                ExecuteRows<Lanes256, System.Runtime.Intrinsics.Vector256<double>>(_items[tile], scratch);
                break;
            case SimdWidth.V128:
                ExecuteRows<Lanes128, System.Runtime.Intrinsics.Vector128<double>>(_items[tile], scratch);
                break;
            default:
                ExecuteRows<Lanes1, double>(_items[tile], scratch);
                break;
        }
    }

    /// <summary>
    /// Σ_a ω_a k(a, b) for the B points of the item (up to <see cref="RowGroupTiles"/> consecutive B tiles), over the A
    /// tiles of the item's range in order. A tiles outer, B tiles inner: each A tile's packed operand (d × 64 doubles,
    /// 128 KB at d = 256) is fetched once per item and reused from L2 by every B tile of the group, instead of once per
    /// B tile from memory. Each B point's sum still runs over the A tiles in order, so the arithmetic does not depend
    /// on the grouping.
    /// </summary>
    private void ExecuteRows<TL, TVec>(PairWorkItem item, Scratch scratch)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        PairSide a = _a!;
        PairSide b = _b!;
        int w = TL.Count;
        int d = a.Dimension;
        int block = _blockCount;
        int bBlock = _bBlockCount;
        int inputCount = _pairOffset + _pairCount;
        int sides = _sides;
        int points = item.Count;
        int groupTiles = (points + Tiles.Particles - 1) / Tiles.Particles;
        int aCapacity = a.Capacity;
        int bCapacity = b.Capacity;
        Span<TVec> inputs = AlignedVectors.Carve<TVec>(stackalloc byte[AlignedVectors.Bytes<TVec>(inputCount + (2 * sides))]);
        ref double pair = ref scratch.Pair.Data;
        ref double aBlock = ref MemoryMarshal.GetArrayDataReference(a.Block);
        ref double bBlockData = ref MemoryMarshal.GetArrayDataReference(b.Block);
        double[]? cache = _cache;
        int keep = cache is not null ? _cutCount : 0;
        Span<TVec> cut = AlignedVectors.Carve<TVec>(stackalloc byte[AlignedVectors.Bytes<TVec>(Math.Max(keep, 1))]);
        ref double aWeights = ref MemoryMarshal.GetArrayDataReference(a.Weights);
        scratch.RowSums.Span(0, points * w).Clear();
        for (int a0 = item.Start; a0 < item.End; a0 += Tiles.Particles)
        {
            int cols = Math.Min(Tiles.Particles, item.End - a0);
            int full = cols - (cols % w);
            for (int g = 0; g < groupTiles; g++)
            {
                int bTile = item.Tile + g;
                int b0 = bTile * Tiles.Particles;
                int rows = Math.Min(Tiles.Particles, points - (g * Tiles.Particles));
                ref double sums = ref Unsafe.Add(ref scratch.RowSums.Data, g * Tiles.Particles * w);
                if (cache is not null)
                {
                    // Cached schedule: the pair channels go straight into this (A tile, B tile)'s block, where the
                    // gradient driver finds them; the next block (the next B tile of the group, else the next A tile's
                    // first) is asked for while this one's product runs: its first stores then find it in L2.
                    pair = ref CacheBlock(cache, a0 / Tiles.Particles, bTile - _cacheFirstBTile);
                    int nextA = g + 1 < groupTiles ? a0 : a0 + Tiles.Particles;
                    if (nextA < item.End)
                    {
                        int nextB = (g + 1 < groupTiles ? bTile + 1 : item.Tile) - _cacheFirstBTile;
                        ComputePairChannels<TL, TVec>(
                            a, b, a0, b0, rows, d, ref pair, ref CacheBlock(cache, nextA / Tiles.Particles, nextB), _planes * TileArea);
                    }
                    else
                    {
                        ComputePairChannels<TL, TVec>(a, b, a0, b0, rows, d, ref pair);
                    }
                }
                else
                {
                    ComputePairChannels<TL, TVec>(a, b, a0, b0, rows, d, ref pair);
                }

                for (int il = 0; il < full; il += w)
                {
                    for (int k = 0; k < block; k++)
                    {
                        inputs[k] = TL.Load(ref Unsafe.Add(ref aBlock, (k * aCapacity) + a0 + il));
                    }

                    LoadSideValues<TL, TVec>(inputs, inputCount, sides, ref Unsafe.Add(ref aBlock, (block * aCapacity) + a0 + il), aCapacity);

                    TVec weight = TL.Load(ref Unsafe.Add(ref aWeights, a0 + il));
                    if (keep > 0)
                    {
                        RowStripKeep<TL, TVec, AllLanes>(inputs, cut, keep, block, bBlock, _pairOffset, _pairCount, ref Unsafe.Add(ref bBlockData, b0), bCapacity, ref Unsafe.Add(ref pair, il), rows, weight, ref sums, default);
                    }
                    else
                    {
                        RowStrip<TL, TVec, AllLanes>(inputs, block, bBlock, _pairOffset, _pairCount, sides, ref Unsafe.Add(ref bBlockData, b0), bCapacity, ref Unsafe.Add(ref pair, il), rows, weight, ref sums, default);
                    }
                }

                if (full < cols)
                {
                    // The last, partial lane group as one masked vector: the empty slots beyond the A range hold
                    // zeros (their value may be NaN, e.g. a kernel at w = 0), and the mask turns their terms into +0.
                    for (int k = 0; k < block; k++)
                    {
                        inputs[k] = TL.Load(ref Unsafe.Add(ref aBlock, (k * aCapacity) + a0 + full));
                    }

                    LoadSideValues<TL, TVec>(inputs, inputCount, sides, ref Unsafe.Add(ref aBlock, (block * aCapacity) + a0 + full), aCapacity);

                    TVec weight = TL.Load(ref Unsafe.Add(ref aWeights, a0 + full));
                    if (keep > 0)
                    {
                        RowStripKeep<TL, TVec, MaskedLanes>(inputs, cut, keep, block, bBlock, _pairOffset, _pairCount, ref Unsafe.Add(ref bBlockData, b0), bCapacity, ref Unsafe.Add(ref pair, full), rows, weight, ref sums, TL.FirstLanes(cols - full));
                    }
                    else
                    {
                        RowStrip<TL, TVec, MaskedLanes>(inputs, block, bBlock, _pairOffset, _pairCount, sides, ref Unsafe.Add(ref bBlockData, b0), bCapacity, ref Unsafe.Add(ref pair, full), rows, weight, ref sums, TL.FirstLanes(cols - full));
                    }
                }
            }
        }

        ref double allSums = ref scratch.RowSums.Data;
        int first = item.Offset + (item.Tile * Tiles.Particles);
        for (int r = 0; r < points; r++)
        {
            _values[first + r] = TL.Sum(TL.Load(ref Unsafe.Add(ref allSums, r * w)));
        }
    }

    /// <summary>
    /// One lane group's column sums over a chunk, for A blocks of at most 4 inputs and 1 or 2 pair channels (the
    /// models of src/Models; larger layouts, such as the tests' KitchenSinkNetwork, take the general loop): the same arithmetic as the general loop of <c>ExecuteItem</c> (each sum from zero over
    /// the rows in order, then added to the tile sums), with the accumulators in locals — registers — instead of a
    /// stack buffer, whose loop-carried store-to-load chains bounded the general loop.
    /// </summary>
    private static void ColumnStrip<TL, TVec, TRead>(
        Span<TVec> inputs, Span<TVec> gradient, int block, int bBlock, int pairOffset, int pairCount, int sides, ref double bBlockData, int bCapacity,
        ref double bWeights, ref double pair, ref double weightedGradient, int rows, bool valueSums, bool pairChannelSums, ref double tileSums)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
        where TRead : struct, IGradientRead
    {
        TVec value = TL.Zero, s0 = TL.Zero, s1 = TL.Zero, s2 = TL.Zero, s3 = TL.Zero, c0 = TL.Zero, c1 = TL.Zero;
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < bBlock; k++)
            {
                inputs[block + k] = TL.Broadcast(Unsafe.Add(ref bBlockData, (k * bCapacity) + r));
            }

            BroadcastSideValues<TL, TVec>(inputs, pairOffset + pairCount + sides, sides, ref Unsafe.Add(ref bBlockData, (bBlock * bCapacity) + r), bCapacity);
            int offset = r * Tiles.Particles;
            inputs[pairOffset] = TL.Load(ref Unsafe.Add(ref pair, offset));
            if (pairCount > 1)
            {
                inputs[pairOffset + 1] = TL.Load(ref Unsafe.Add(ref pair, TileArea + offset));
            }

            for (int p = pairCount; p < TRead.Planes; p++)
            {
                inputs[pairOffset + p] = TL.Load(ref Unsafe.Add(ref pair, (p * TileArea) + offset)); // kept values beyond P
            }

            TVec weight = TL.Broadcast(Unsafe.Add(ref bWeights, r));
            if (valueSums)
            {
                value = TL.MultiplyAdd(weight, TOp.ValueAndGradient<TL, TVec>(inputs, gradient), value);
            }
            else
            {
                TRead.Gradient<TL, TVec>(inputs, gradient);
            }

            AccumulateBlock<TL, TVec>(weight, gradient, block, ref s0, ref s1, ref s2, ref s3);

            TVec g = TL.Multiply(weight, gradient[pairOffset]);
            c0 = TL.Add(c0, g);
            TL.Store(g, ref Unsafe.Add(ref weightedGradient, offset));
            if (pairCount > 1)
            {
                g = TL.Multiply(weight, gradient[pairOffset + 1]);
                c1 = TL.Add(c1, g);
                TL.Store(g, ref Unsafe.Add(ref weightedGradient, TileArea + offset));
            }
        }

        if (valueSums)
        {
            AddTo<TL, TVec>(ref tileSums, value);
        }

        Span<TVec> sums = [s0, s1, s2, s3];
        for (int k = 0; k < block; k++)
        {
            AddTo<TL, TVec>(ref Unsafe.Add(ref tileSums, (1 + k) * Tiles.Particles), sums[k]);
        }

        if (pairChannelSums)
        {
            AddTo<TL, TVec>(ref Unsafe.Add(ref tileSums, (1 + block) * Tiles.Particles), c0);
            if (pairCount > 1)
            {
                AddTo<TL, TVec>(ref Unsafe.Add(ref tileSums, (2 + block) * Tiles.Particles), c1);
            }
        }
    }

    /// <summary>
    /// Whether the fast strips pass a pair's inputs in an <see cref="InputBlock{TVec}"/> (registers) instead of spans
    /// (a store and a reload per input and gradient entry): the operator has block overloads and the layout fits the
    /// strips' fixed accumulators (A block ≤ 4, B block ≤ 1, 1–2 pair channels). A JIT-time constant.
    /// </summary>
    private static bool Blocks => TOp.HasBlocks && TOp.ABlock <= 4 && TOp.BBlock <= 1 && TOp.PairCount is 1 or 2;

    /// <summary>
    /// <see cref="ColumnStrip"/> with the pair's inputs and gradient in <see cref="InputBlock{TVec}"/> fields at constant
    /// indices (registers), for operators with <see cref="Blocks"/> and no value sums: the same operations in the same
    /// order, so the same bits.
    /// </summary>
    private static void ColumnStripBlock<TL, TVec, TRead>(
        Span<TVec> inputs, ref double bBlockData, ref double bWeights, ref double pair, ref double weightedGradient, int rows, bool pairChannelSums, ref double tileSums)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
        where TRead : struct, IGradientRead
    {
        int block = TOp.ABlock;
        int pairOffset = TOp.PairOffset;
        InputBlock<TVec> x = LoadABlock<TVec>(inputs);
        TOp.PrepareBlock<TL, TVec>(ref x);
        InputBlock<TVec> g = default;
        TVec s0 = TL.Zero, s1 = TL.Zero, s2 = TL.Zero, s3 = TL.Zero, c0 = TL.Zero, c1 = TL.Zero;
        for (int r = 0; r < rows; r++)
        {
            LoadRow<TL, TVec>(ref x, ref bBlockData, ref pair, r);
            int offset = r * Tiles.Particles;
            if (TRead.Planes > TOp.PairCount)
            {
                // Kept values beyond the P pair channels, in the slots after the inputs.
                InputBlock<TVec>.Set(ref x, TOp.PairOffset + TOp.PairCount, TL.Load(ref Unsafe.Add(ref pair, (TOp.PairCount * TileArea) + offset)));
                if (TRead.Planes > TOp.PairCount + 1)
                {
                    InputBlock<TVec>.Set(ref x, TOp.PairOffset + TOp.PairCount + 1, TL.Load(ref Unsafe.Add(ref pair, ((TOp.PairCount + 1) * TileArea) + offset)));
                }
            }

            TVec weight = TL.Broadcast(Unsafe.Add(ref bWeights, r));
            TRead.GradientBlock<TL, TVec>(ref x, ref g);
            if (block > 0)
            {
                s0 = TL.MultiplyAdd(weight, g.V0, s0);
                if (block > 1)
                {
                    s1 = TL.MultiplyAdd(weight, g.V1, s1);
                    if (block > 2)
                    {
                        s2 = TL.MultiplyAdd(weight, g.V2, s2);
                        if (block > 3)
                        {
                            s3 = TL.MultiplyAdd(weight, g.V3, s3);
                        }
                    }
                }
            }

            TVec gp = TL.Multiply(weight, InputBlock<TVec>.Get(ref g, pairOffset));
            c0 = TL.Add(c0, gp);
            TL.Store(gp, ref Unsafe.Add(ref weightedGradient, offset));
            if (TOp.PairCount > 1)
            {
                gp = TL.Multiply(weight, InputBlock<TVec>.Get(ref g, pairOffset + 1));
                c1 = TL.Add(c1, gp);
                TL.Store(gp, ref Unsafe.Add(ref weightedGradient, TileArea + offset));
            }
        }

        Span<TVec> sums = [s0, s1, s2, s3];
        for (int k = 0; k < block; k++)
        {
            AddTo<TL, TVec>(ref Unsafe.Add(ref tileSums, (1 + k) * Tiles.Particles), sums[k]);
        }

        if (pairChannelSums)
        {
            AddTo<TL, TVec>(ref Unsafe.Add(ref tileSums, (1 + block) * Tiles.Particles), c0);
            if (TOp.PairCount > 1)
            {
                AddTo<TL, TVec>(ref Unsafe.Add(ref tileSums, (2 + block) * Tiles.Particles), c1);
            }
        }
    }

    /// <summary>Row <paramref name="r"/>'s B input (|x|², when the layout has one) and pair channels into the block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadRow<TL, TVec>(ref InputBlock<TVec> x, ref double bBlockData, ref double pair, int r)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        if (TOp.BBlock > 0)
        {
            InputBlock<TVec>.Set(ref x, TOp.ABlock, TL.Broadcast(Unsafe.Add(ref bBlockData, r)));
        }

        int offset = r * Tiles.Particles;
        InputBlock<TVec>.Set(ref x, TOp.PairOffset, TL.Load(ref Unsafe.Add(ref pair, offset)));
        if (TOp.PairCount > 1)
        {
            InputBlock<TVec>.Set(ref x, TOp.PairOffset + 1, TL.Load(ref Unsafe.Add(ref pair, TileArea + offset)));
        }
    }

    /// <summary>A block holding the side-A inputs (at most 4, <see cref="Blocks"/>) from the strip's span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static InputBlock<TVec> LoadABlock<TVec>(Span<TVec> inputs)
        where TVec : unmanaged
    {
        InputBlock<TVec> x = default;
        int block = TOp.ABlock;
        if (block > 0)
        {
            x.V0 = inputs[0];
            if (block > 1)
            {
                x.V1 = inputs[1];
                if (block > 2)
                {
                    x.V2 = inputs[2];
                    if (block > 3)
                    {
                        x.V3 = inputs[3];
                    }
                }
            }
        }

        return x;
    }

    /// <summary>Where <see cref="ColumnStrip"/> takes the gradient from: the pair channels, or the kept values.</summary>
    private interface IGradientRead
    {
        /// <summary>The 64 × 64 planes read per pair: the P pair channels, or the kept values (at most P + <see cref="MaxExtraPlanes"/>).</summary>
        static abstract int Planes { get; }

        static abstract void Gradient<TL, TVec>(ReadOnlySpan<TVec> inputs, Span<TVec> gradient)
            where TL : struct, ISimdLanes<TVec>
            where TVec : unmanaged;

        static abstract void GradientBlock<TL, TVec>(ref InputBlock<TVec> inputs, ref InputBlock<TVec> gradient)
            where TL : struct, ISimdLanes<TVec>
            where TVec : unmanaged;
    }

    /// <summary>The gradient from the pair channels (streaming, or a cache of pair channels).</summary>
    private readonly struct ReadChannels : IGradientRead
    {
        public static int Planes => TOp.PairCount;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Gradient<TL, TVec>(ReadOnlySpan<TVec> inputs, Span<TVec> gradient)
            where TL : struct, ISimdLanes<TVec>
            where TVec : unmanaged => TOp.Gradient<TL, TVec>(inputs, gradient);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void GradientBlock<TL, TVec>(ref InputBlock<TVec> inputs, ref InputBlock<TVec> gradient)
            where TL : struct, ISimdLanes<TVec>
            where TVec : unmanaged => TOp.GradientBlock<TL, TVec>(ref inputs, ref gradient);
    }

    /// <summary>The gradient from the values the operator keeps per pair (<see cref="IPairOperator.CutCount"/>).</summary>
    private readonly struct ReadCut : IGradientRead
    {
        public static int Planes => Math.Max(TOp.PairCount, Math.Min(TOp.CutCount, TOp.PairCount + MaxExtraPlanes));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Gradient<TL, TVec>(ReadOnlySpan<TVec> inputs, Span<TVec> gradient)
            where TL : struct, ISimdLanes<TVec>
            where TVec : unmanaged => TOp.GradientFromCut<TL, TVec>(inputs, gradient);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void GradientBlock<TL, TVec>(ref InputBlock<TVec> inputs, ref InputBlock<TVec> gradient)
            where TL : struct, ISimdLanes<TVec>
            where TVec : unmanaged => TOp.GradientFromCutBlock<TL, TVec>(ref inputs, ref gradient);
    }

    /// <summary>s_k += weight · gradient[k] for the first <paramref name="block"/> (≤ 4) entries: the column strips' A-block sums in locals.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateBlock<TL, TVec>(TVec weight, Span<TVec> gradient, int block, ref TVec s0, ref TVec s1, ref TVec s2, ref TVec s3)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        if (block > 0)
        {
            s0 = TL.MultiplyAdd(weight, gradient[0], s0);
            if (block > 1)
            {
                s1 = TL.MultiplyAdd(weight, gradient[1], s1);
                if (block > 2)
                {
                    s2 = TL.MultiplyAdd(weight, gradient[2], s2);
                    if (block > 3)
                    {
                        s3 = TL.MultiplyAdd(weight, gradient[3], s3);
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo<TL, TVec>(ref double target, TVec value)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => TL.Store(TL.Add(TL.Load(ref target), value), ref target);

    /// <summary>
    /// <see cref="RowStrip"/> on the cached schedule of an operator that keeps values per pair: the same sums, from
    /// <see cref="IPairOperator.ValueAndCut"/>, and the <paramref name="keep"/> kept values written over the first pair
    /// channels of the cache block (each row's channels are read before they are overwritten).
    /// </summary>
    private static void RowStripKeep<TL, TVec, TMask>(
        Span<TVec> inputs, Span<TVec> cut, int keep, int block, int bBlock, int pairOffset, int pairCount, ref double bBlockData, int bCapacity, ref double pair, int rows, TVec weight, ref double sums, TVec mask)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
        where TMask : struct, ILaneMask
    {
        int w = TL.Count;
        if (Blocks)
        {
            InputBlock<TVec> x = LoadABlock<TVec>(inputs);
            TOp.PrepareBlock<TL, TVec>(ref x);
            InputBlock<TVec> kept = default;
            for (int r = 0; r < rows; r++)
            {
                LoadRow<TL, TVec>(ref x, ref bBlockData, ref pair, r);
                TVec value = TOp.ValueAndCutBlock<TL, TVec>(ref x, ref kept);
                TL.Store(kept.V0, ref Unsafe.Add(ref pair, r * Tiles.Particles));
                if (keep > 1)
                {
                    TL.Store(kept.V1, ref Unsafe.Add(ref pair, TileArea + (r * Tiles.Particles)));
                    if (keep > 2)
                    {
                        TL.Store(kept.V2, ref Unsafe.Add(ref pair, (2 * TileArea) + (r * Tiles.Particles)));
                        if (keep > 3)
                        {
                            TL.Store(kept.V3, ref Unsafe.Add(ref pair, (3 * TileArea) + (r * Tiles.Particles)));
                        }
                    }
                }

                ref double sum = ref Unsafe.Add(ref sums, r * w);
                TL.Store(TL.MultiplyAdd(weight, TMask.Apply<TL, TVec>(value, mask), TL.Load(ref sum)), ref sum);
            }

            return;
        }

        if (bBlock == 0 && pairCount == 1)
        {
            ref TVec slot = ref inputs[pairOffset];
            for (int r = 0; r < rows; r++)
            {
                ref double channel = ref Unsafe.Add(ref pair, r * Tiles.Particles);
                slot = TL.Load(ref channel);
                TVec value = TOp.ValueAndCut<TL, TVec>(inputs, cut);
                TL.Store(cut[0], ref channel);
                for (int k = 1; k < keep; k++)
                {
                    TL.Store(cut[k], ref Unsafe.Add(ref channel, k * TileArea));
                }
                ref double sum = ref Unsafe.Add(ref sums, r * w);
                TL.Store(TL.MultiplyAdd(weight, TMask.Apply<TL, TVec>(value, mask), TL.Load(ref sum)), ref sum);
            }

            return;
        }

        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < bBlock; k++)
            {
                inputs[block + k] = TL.Broadcast(Unsafe.Add(ref bBlockData, (k * bCapacity) + r));
            }

            for (int p = 0; p < pairCount; p++)
            {
                inputs[pairOffset + p] = TL.Load(ref Unsafe.Add(ref pair, (p * TileArea) + (r * Tiles.Particles)));
            }

            TVec value = TOp.ValueAndCut<TL, TVec>(inputs, cut);
            for (int k = 0; k < keep; k++)
            {
                TL.Store(cut[k], ref Unsafe.Add(ref pair, (k * TileArea) + (r * Tiles.Particles)));
            }

            ref double sum = ref Unsafe.Add(ref sums, r * w);
            TL.Store(TL.MultiplyAdd(weight, TMask.Apply<TL, TVec>(value, mask), TL.Load(ref sum)), ref sum);
        }
    }

    /// <summary>
    /// One lane group's row sums over a chunk: sums[r] += ω · value(A inputs, B point r, pair channels of r) for r &lt; rows,
    /// the values passed through <typeparamref name="TMask"/> (all lanes, or the lanes of <paramref name="mask"/> for
    /// the last, partial group). A small method of its own, so its loop keeps its values in registers; the common
    /// layouts (no B scalars, one pair channel) skip the per-row input loops.
    /// </summary>
    private static void RowStrip<TL, TVec, TMask>(
        Span<TVec> inputs, int block, int bBlock, int pairOffset, int pairCount, int sides, ref double bBlockData, int bCapacity, ref double pair, int rows, TVec weight, ref double sums, TVec mask)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
        where TMask : struct, ILaneMask
    {
        int w = TL.Count;
        if (Blocks)
        {
            // The pair's inputs in a block's fields (registers), see ColumnStripBlock; the same sums.
            InputBlock<TVec> x = LoadABlock<TVec>(inputs);
            TOp.PrepareBlock<TL, TVec>(ref x);
            for (int r = 0; r < rows; r++)
            {
                LoadRow<TL, TVec>(ref x, ref bBlockData, ref pair, r);
                ref double sum = ref Unsafe.Add(ref sums, r * w);
                TL.Store(TL.MultiplyAdd(weight, TMask.Apply<TL, TVec>(TOp.ValueBlock<TL, TVec>(ref x), mask), TL.Load(ref sum)), ref sum);
            }

            return;
        }

        if (bBlock == 0 && pairCount == 1)
        {
            ref TVec slot = ref inputs[pairOffset];
            for (int r = 0; r < rows; r++)
            {
                slot = TL.Load(ref Unsafe.Add(ref pair, r * Tiles.Particles));
                ref double sum = ref Unsafe.Add(ref sums, r * w);
                TL.Store(TL.MultiplyAdd(weight, TMask.Apply<TL, TVec>(TOp.Value<TL, TVec>(inputs), mask), TL.Load(ref sum)), ref sum);
            }

            return;
        }

        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < bBlock; k++)
            {
                inputs[block + k] = TL.Broadcast(Unsafe.Add(ref bBlockData, (k * bCapacity) + r));
            }

            BroadcastSideValues<TL, TVec>(inputs, pairOffset + pairCount + sides, sides, ref Unsafe.Add(ref bBlockData, (bBlock * bCapacity) + r), bCapacity);
            for (int p = 0; p < pairCount; p++)
            {
                inputs[pairOffset + p] = TL.Load(ref Unsafe.Add(ref pair, (p * TileArea) + (r * Tiles.Particles)));
            }

            ref double sum = ref Unsafe.Add(ref sums, r * w);
            TL.Store(TL.MultiplyAdd(weight, TMask.Apply<TL, TVec>(TOp.Value<TL, TVec>(inputs), mask), TL.Load(ref sum)), ref sum);
        }
    }

    /// <summary>
    /// An A lane group's side values (<see cref="PairLayout.SideValues"/>): <paramref name="count"/> rows of the block from
    /// <paramref name="data"/>, <paramref name="capacity"/> apart, into inputs <paramref name="offset"/> …; held while the
    /// rows pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadSideValues<TL, TVec>(Span<TVec> inputs, int offset, int count, ref double data, int capacity)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        for (int k = 0; k < count; k++)
        {
            inputs[offset + k] = TL.Load(ref Unsafe.Add(ref data, k * capacity));
        }
    }

    /// <summary>
    /// A B point's side values, each broadcast to every lane, into inputs <paramref name="offset"/> …. The first two are
    /// written out of the loop: a loop here, inside the strips' row loop, made the symmetric strip spill at 256 bits
    /// (16 registers) — measured 20 % slower on one thread with AVX-512 off, against no change written this way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BroadcastSideValues<TL, TVec>(Span<TVec> inputs, int offset, int count, ref double data, int capacity)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        if (count > 0)
        {
            inputs[offset] = TL.Broadcast(data);
            if (count > 1)
            {
                inputs[offset + 1] = TL.Broadcast(Unsafe.Add(ref data, capacity));
                for (int k = 2; k < count; k++)
                {
                    inputs[offset + k] = TL.Broadcast(Unsafe.Add(ref data, k * capacity));
                }
            }
        }
    }

    private void WriteOutputs(PairWorkItem item, double[] tileSums, double[] tilePairSums, int a0, int aCapacity, int d, int sumCount, int worker)
    {
        int count = item.Count;
        int lane0 = item.Offset;
        a0 += lane0;
        if (_valueSums)
        {
            tileSums.AsSpan(lane0, count).CopyTo(_values.AsSpan(a0, count));
        }

        if (!_gradients)
        {
            return;
        }

        if (_sink is not null)
        {
            _sink.Write(
                a0,
                count,
                lane0,
                tileSums.AsSpan(Tiles.Particles, sumCount * Tiles.Particles),
                tilePairSums.AsSpan(0, _pairCount * d * Tiles.Particles),
                worker);
            return;
        }

        bool accumulate = _accumulate;
        double[] sums = Sums;
        for (int k = 0; k < sumCount; k++)
        {
            ReadOnlySpan<double> source = tileSums.AsSpan(((1 + k) * Tiles.Particles) + lane0, count);
            Span<double> target = sums.AsSpan((k * aCapacity) + a0, count);
            if (accumulate)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(target, source, target);
            }
            else
            {
                source.CopyTo(target);
            }
        }

        for (int p = 0; p < _pairCount; p++)
        {
            double[] pairSums = PairSums[p];
            int baseIndex = (p * d * Tiles.Particles) + lane0;
            for (int il = 0; il < count; il++)
            {
                int row = (a0 + il) * d;
                for (int k = 0; k < d; k++)
                {
                    double value = tilePairSums[baseIndex + (k * Tiles.Particles) + il];
                    pairSums[row + k] = accumulate ? pairSums[row + k] + value : value;
                }
            }
        }
    }

    /// <summary>
    /// One worker's tile buffers (sizes in doubles). The hot ones (the pair tile, the symmetric schedule's B tiles and
    /// partials, the row sums) start on cache lines (<see cref="AlignedBuffer"/>).
    /// </summary>
    private sealed class Scratch
    {
        public Scratch()
        {
            RowSums.Grow(RowGroupTiles * Tiles.Particles * 8);
        }

        /// <summary>P × 64 × 64: pair channels of a chunk (streaming), then ω·∂k/∂z_p (both schedules).</summary>
        public AlignedBuffer Pair;

        /// <summary>(1 + S + Q + P) × 64: the value and gradient sums of the A tile.</summary>
        public double[] TileSums = [];

        /// <summary>P × d × 64: Σ_b ω ∂k/∂z_p v(b), transposed.</summary>
        public double[] TilePairSums = [];

        /// <summary>(64 · <see cref="RowGroupTiles"/>) × 8: per-B-point vector partial sums (row sums).</summary>
        public AlignedBuffer RowSums;

        /// <summary>P × 64 × 64: ω_a·∂k/∂z_p of an off-diagonal block of the symmetric schedule, rows = B points.</summary>
        public AlignedBuffer PairB;

        /// <summary>P × 64 × 64: <see cref="PairB"/> transposed (rows = A points), the B side's product operand.</summary>
        public AlignedBuffer PairBTransposed;

        /// <summary>(1 + A block) × 64 × 8: the B points' vector partial sums of the symmetric schedule.</summary>
        public AlignedBuffer BSums;

        public void EnsureSymmetric(int block, int pairCount)
        {
            PairB.Grow(Math.Max(1, pairCount) * TileArea);
            PairBTransposed.Grow(Math.Max(1, pairCount) * TileArea);
            BSums.Grow((1 + block) * Tiles.Particles * 8);
        }

        public void Ensure(int sumRows, int pairCount, int dimension)
        {
            Pair.Grow(Math.Max(1, pairCount) * TileArea);
            Grow(ref TileSums, sumRows * Tiles.Particles);
            Grow(ref TilePairSums, pairCount * dimension * Tiles.Particles);
        }

        private static void Grow(ref double[] buffer, int length)
        {
            if (buffer.Length < length)
            {
                buffer = new double[length];
            }
        }
    }
}

/// <summary>How the row sums treat the lanes of a value: all of them, or those of a mask (the last, partial lane group).</summary>
internal interface ILaneMask
{
    static abstract TVec Apply<TL, TVec>(TVec value, TVec mask)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged;
}

/// <summary>Every lane counts: the value as it is (the JIT drops the mask argument).</summary>
internal readonly struct AllLanes : ILaneMask
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TL, TVec>(TVec value, TVec mask)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => value;
}

/// <summary>Only the mask's lanes count: the others become +0, NaN included.</summary>
internal readonly struct MaskedLanes : ILaneMask
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TL, TVec>(TVec value, TVec mask)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged => TL.And(value, mask);
}

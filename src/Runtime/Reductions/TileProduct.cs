using System.Runtime.CompilerServices;

namespace MeanField.Reductions;

/// <summary>
/// The small matrix product inside a tile: C[a, i] (+)= Σ_b B[a·sa + b·sb] · M[b·64 + i] for a &lt; rows and
/// i &lt; <see cref="Tiles.Particles"/>, with C and M of leading dimension <see cref="Tiles.Particles"/>.
/// </summary>
/// <remarks>
/// Forward pass: the pair channels Z[l, i] = v_j(i)·x_l of a 64 × 64 (samples × particles) tile, with
/// B = the tile's rows of X and M = the packed, transposed particle tile of v_j (d × 64).
/// Backward pass: A[k, i] += Σ_l x_l[k] G[l, i], the pair-channel part of the velocity (Gᵀ X), with
/// B = X read down its columns and M = G (samples × particles).
/// Hand-written rather than a BLAS call (.NET ships no BLAS, and a native one would add a dependency): the tile is
/// tiny (64 × 64 × d) and sits between the generated
/// operators of one fused tile loop, so a library call would cost more in overhead and lose the fusion;
/// the register block follows the register file, chosen once at JIT time (<see cref="WideRegisterFile"/>):
/// <list type="bullet">
/// <item><description>32 vector registers (x64 with AVX-512, whose EVEX encoding also gives Vector256/128 code
/// ymm/xmm16–31; Arm64): above depth <see cref="SixRowDepth"/>, 6 rows × 4 vectors — 24 accumulators + 4 loads + 1
/// broadcast = 29 registers, 10 loads per 24 FMAs — and 4 × 4 blocks for the rows left; at that depth and below,
/// 4 rows × 4 vectors — 16 accumulators + 4 loads + 1 broadcast = 21 registers, 8 loads per 16 FMAs (see
/// <see cref="MultiplyBlock6x4{TL, TVec}"/>; 4 × 4 at every depth until 2026-12-07).</description></item>
/// <item><description>16 vector registers (x64 with AVX2 only): 6 rows × 2 vectors — 12 accumulators + 2 loads + 1
/// broadcast = 15 registers; the rows left over (4 of a 64-row tile) in 4 × 2 blocks. The 4 × 4 block needs 21 and spills: measured on a Zen 5 core with AVX-512 switched off
/// (<c>DOTNET_EnableAVX512=0</c>), one thread, 60 × 64 × 64 tile: 4 × 4 35.6 GFLOP/s, 6 × 2 64.4, 4 × 3 64.1 (the
/// Vector256 peak there is ≈ 64); with AVX-512 on, Vector512 4 × 4 126 GFLOP/s, 6 × 4 128, 4 × 3 126 (scratch
/// program in the issue-9 note).</description></item>
/// </list>
/// Either block has ≥ 12 independent accumulator chains, enough to cover the FMA latency (4 cycles) on two pipes.
/// </remarks>
internal static class TileProduct
{
    /// <summary>
    /// Depth per pass: each C entry is one FMA chain over up to this many depth steps, from zero, then added onto C. The
    /// register blocks walk the row blocks outside the column strips, so a block's rows of B (6 × 256 × 8 bytes = 12 KB at
    /// most) stay in L1 over the whole pass while M streams from L2. It was 64 (an M strip in L1, C reloaded after each
    /// 64 steps): at d = 256 with AVX-512 off the 6 × 2 tile product went 48.5 → 52.2 GFLOP/s of a 58.4 peak and the W1
    /// step 414 → 400 ms on one Zen 4 core; with AVX-512 the 4 × 4 block 56.4 → 57.8, the W1 and DGM steps within the
    /// noise (specs/performance.md §2).
    /// </summary>
    internal const int DepthBlock = 256;

    /// <summary>
    /// Whether the vector register file has 32 registers (x64 with AVX-512, Arm64) rather than 16 (x64 with AVX2 or
    /// less). A static readonly the JIT folds, so the unused block shape is dropped from the specialised code.
    /// </summary>
    internal static readonly bool WideRegisterFile =
        System.Runtime.Intrinsics.X86.Avx512F.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;

    public static void Multiply<TL, TVec>(
        ref double b, int sa, int sb, int rows, int depth, ref double m, ref double c, bool accumulate)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
        => Multiply<TL, TVec>(WideRegisterFile, ref b, sa, sb, rows, depth, ref m, ref c, accumulate, ref Unsafe.NullRef<double>(), 0);

    /// <summary>
    /// <see cref="Multiply{TL, TVec}(ref double, int, int, int, int, ref double, ref double, bool)"/> that also asks for
    /// the next <paramref name="prefetchDoubles"/> doubles from <paramref name="prefetch"/> on to be brought into L2, a few
    /// cache lines per register block, so that the memory traffic of the next tile (its block of the pair cache) overlaps
    /// this product's FMAs instead of following them. A hint only: the results do not depend on it.
    /// </summary>
    public static void Multiply<TL, TVec>(
        ref double b, int sa, int sb, int rows, int depth, ref double m, ref double c, bool accumulate, ref double prefetch, int prefetchDoubles)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
        => Multiply<TL, TVec>(WideRegisterFile, ref b, sa, sb, rows, depth, ref m, ref c, accumulate, ref prefetch, prefetchDoubles);

    internal static void Multiply<TL, TVec>(
        bool wide, ref double b, int sa, int sb, int rows, int depth, ref double m, ref double c, bool accumulate)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
        => Multiply<TL, TVec>(wide, ref b, sa, sb, rows, depth, ref m, ref c, accumulate, ref Unsafe.NullRef<double>(), 0);

    /// <summary>
    /// <see cref="Multiply{TL, TVec}(ref double, int, int, int, int, ref double, ref double, bool)"/> for the first
    /// <paramref name="columns"/> columns of C and M only (1–64; rounded up to whole vectors, and the last, narrower strip
    /// to a 6 × 2 block): for a product whose M is padded to 64 columns, such as the DGM's W̄ over a width of 100 inputs
    /// (64 + 36). The columns computed get the bits of the full product; the others are left as they were.
    /// </summary>
    public static void MultiplyColumns<TL, TVec>(
        ref double b, int sa, int sb, int rows, int depth, ref double m, ref double c, bool accumulate, int columns)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
        => Multiply<TL, TVec>(WideRegisterFile, ref b, sa, sb, rows, depth, ref m, ref c, accumulate, ref Unsafe.NullRef<double>(), 0, columns);

    /// <summary>
    /// <see cref="MultiplyColumns{TL, TVec}(ref double, int, int, int, int, ref double, ref double, bool, int)"/> that also
    /// asks for the next <paramref name="prefetchDoubles"/> doubles from <paramref name="prefetch"/> on to be brought
    /// into L2 (as <see cref="Multiply{TL, TVec}(ref double, int, int, int, int, ref double, ref double, bool, ref double, int)"/>
    /// does). A hint only: the results do not depend on it. Returns the cache lines asked for.
    /// </summary>
    public static int MultiplyColumns<TL, TVec>(
        ref double b, int sa, int sb, int rows, int depth, ref double m, ref double c, bool accumulate, int columns, ref double prefetch, int prefetchDoubles)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
        => Multiply<TL, TVec>(WideRegisterFile, ref b, sa, sb, rows, depth, ref m, ref c, accumulate, ref prefetch, prefetchDoubles, columns);

    /// <summary>
    /// <see cref="Multiply{TL, TVec}(ref double, int, int, int, int, ref double, ref double, bool)"/> with the register
    /// block chosen by <paramref name="wide"/> (tests run both shapes on any machine). Both shapes compute every C entry
    /// as the same FMA chain over the depth, in order, from zero per <see cref="DepthBlock"/>-deep pass: the results are bit-identical.
    /// Only the first <paramref name="columns"/> columns are computed (see <see cref="MultiplyColumns{TL, TVec}(ref double, int, int, int, int, ref double, ref double, bool, int)"/>).
    /// Returns the cache lines of the prefetch region asked for: all of them where a register block that prefetches runs
    /// (4 rows or more with 32 registers, 6 or more with 16), none where the rows are fewer. With 32 registers, columns
    /// beyond the whole 4-vector strips run in a 6 × 2 strip that asks for the lines the 4-vector strips left (all of
    /// them when the product is narrower than one such strip, and then only from 6 rows on).
    /// </summary>
    internal static int Multiply<TL, TVec>(
        bool wide, ref double b, int sa, int sb, int rows, int depth, ref double m, ref double c, bool accumulate, ref double prefetch, int prefetchDoubles,
        int columns = Tiles.Particles)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        if (columns is < 1 or > Tiles.Particles)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), columns, $"A tile product computes 1 to {Tiles.Particles} columns.");
        }

        // Long depths (d > 256) in fixed passes of DepthBlock, each added onto C in order (deterministic; no thread dependence);
        // the prefetch split evenly over the passes.
        int passes = (depth + DepthBlock - 1) / DepthBlock;
        int perPass = (((prefetchDoubles + passes - 1) / passes) + LineDoubles - 1) / LineDoubles * LineDoubles;
        int asked = 0;
        for (int k0 = 0, pass = 0; k0 < depth; k0 += DepthBlock, pass++)
        {
            int from = Math.Min(pass * perPass, prefetchDoubles);
            asked += MultiplyBlock<TL, TVec>(
                wide, ref Unsafe.Add(ref b, k0 * sb), sa, sb, rows, Math.Min(DepthBlock, depth - k0),
                ref Unsafe.Add(ref m, k0 * Tiles.Particles), ref c, accumulate || k0 > 0,
                ref Unsafe.Add(ref prefetch, from), Math.Min(perPass, prefetchDoubles - from), columns);
        }

        return asked;
    }

    /// <summary>Doubles per 64-byte cache line.</summary>
    internal const int LineDoubles = 8;

    /// <summary>
    /// Asks for <paramref name="lines"/> cache lines from <paramref name="address"/> on into L2 (x86 PREFETCHT1; nothing
    /// where the instruction set has no prefetch the runtime exposes). Never faults, and the array it points into may be
    /// moved by the GC meanwhile: the hint is then wasted, never wrong.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch(ref double address, int lines)
    {
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            for (int l = 0; l < lines; l++)
            {
                System.Runtime.Intrinsics.X86.Sse.Prefetch1(Unsafe.AsPointer(ref Unsafe.Add(ref address, l * LineDoubles)));
            }
        }
    }

    private static int MultiplyBlock<TL, TVec>(
        bool wide, ref double b, int sa, int sb, int rows, int depth, ref double m, ref double c, bool accumulate, ref double prefetch, int prefetchDoubles,
        int columns)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int w = TL.Count;
        if (wide)
        {
            // Whole 4-vector strips, then the rest (if any) in 6 × 2 strips: the same FMA chain per entry either way.
            int strips = columns / (4 * w) * 4 * w;
            int asked = 0;
            if (strips > 0)
            {
                // 6-row blocks where M outgrows L1, then 4 × 4 (and single rows); the prefetch shared by every block of both.
                int six = depth > SixRowDepth ? SixRowBlocks(rows) : 0, sixEnd = 6 * six;
                int total = (prefetchDoubles + LineDoubles - 1) / LineDoubles;
                int perBlock = LinesPerBlock(prefetchDoubles, (six + ((rows - sixEnd) / 4)) * (strips / (4 * w)));
                if (sixEnd > 0)
                {
                    asked = MultiplyBlock6x4<TL, TVec>(ref b, sa, sb, sixEnd, depth, ref m, ref c, accumulate, ref prefetch, asked, total, perBlock, strips);
                }

                asked = MultiplyBlock4x4<TL, TVec>(ref b, sa, sb, sixEnd, rows, depth, ref m, ref c, accumulate, ref prefetch, asked, total, perBlock, strips);
            }

            if (strips < columns)
            {
                // The narrower strip asks for the lines the 4-vector strips did not (all of them when there were none).
                int rest = Math.Max(0, prefetchDoubles - (asked * LineDoubles));
                asked += MultiplyBlock6x2<TL, TVec>(
                    ref b, sa, sb, rows, depth, ref m, ref c, accumulate, ref Unsafe.Add(ref prefetch, prefetchDoubles - rest), rest, strips, RoundUp(columns, 2 * w));
            }

            return asked;
        }

        return MultiplyBlock6x2<TL, TVec>(ref b, sa, sb, rows, depth, ref m, ref c, accumulate, ref prefetch, prefetchDoubles, 0, RoundUp(columns, 2 * w));
    }

    private static int RoundUp(int value, int multiple) => Math.Min(Tiles.Particles, (value + multiple - 1) / multiple * multiple);

    /// <summary>Lines to prefetch per register block: <paramref name="doubles"/> spread over the <paramref name="blocks"/> register blocks of one pass that prefetch.</summary>
    private static int LinesPerBlock(int doubles, int blocks)
    {
        blocks = Math.Max(1, blocks);
        int lines = (doubles + LineDoubles - 1) / LineDoubles;
        return (lines + blocks - 1) / blocks;
    }

    /// <summary>
    /// One register block's share of the prefetch: up to <paramref name="perBlock"/> of the region's
    /// <paramref name="total"/> lines after the <paramref name="asked"/> already asked for; returns the lines asked for
    /// so far.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PrefetchShare(ref double region, int asked, int total, int perBlock)
    {
        if (asked < total)
        {
            int lines = Math.Min(perBlock, total - asked);
            Prefetch(ref Unsafe.Add(ref region, asked * LineDoubles), lines);
            asked += lines;
        }

        return asked;
    }

    /// <summary>
    /// 6 rows × 2 vectors per register block (16-register files), then the remaining rows four and one at a time. Row
    /// blocks outside, column strips inside: a block's 6 rows of B stay in L1 while the strips of M pass (M's strip is
    /// re-read from L2 instead). Measured on a Zen 4 core with AVX-512 off (one thread): a 64 × 64 × 64 tile product 49.4
    /// → 51–52 GFLOP/s with B's rows d apart, 46 → 52–53 with B packed (the backward's Gᵀ X); W1 (1024, 256, 16384) ReLU
    /// 428 → 415 ms per step (specs/performance.md §2).
    /// </summary>
    private static int MultiplyBlock6x2<TL, TVec>(
        ref double b, int sa, int sb, int rows, int depth, ref double m, ref double c, bool accumulate, ref double prefetch, int prefetchDoubles,
        int firstColumn, int endColumn)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        const int ld = Tiles.Particles;
        // The strides as native ints: with int strides RyuJIT sign-extends each one again in every iteration of the
        // depth loop (a movsxd per broadcast), 8 extra instructions per 12 FMAs in the 6 × 2 block. Removing them was
        // neutral for the tile product alone on a Zen 4 with AVX-512 off and ≈ 1 % of the W1 step at d = 256 (within the
        // noise; specs/performance.md §2): kept because the loop is shorter, not for a measured gain.
        nint step = sb;
        int w = TL.Count;
        int perBlock = LinesPerBlock(prefetchDoubles, rows / 6 * ((endColumn - firstColumn) / (2 * w)));
        int total = (prefetchDoubles + LineDoubles - 1) / LineDoubles, asked = 0;
        int a = 0;
        for (; a + 6 <= rows; a += 6)
        {
            for (int i = firstColumn; i < endColumn; i += 2 * w)
            {
                asked = PrefetchShare(ref prefetch, asked, total, perBlock);

                TVec c00 = TL.Zero, c01 = TL.Zero, c10 = TL.Zero, c11 = TL.Zero, c20 = TL.Zero, c21 = TL.Zero;
                TVec c30 = TL.Zero, c31 = TL.Zero, c40 = TL.Zero, c41 = TL.Zero, c50 = TL.Zero, c51 = TL.Zero;
                ref double b0 = ref Unsafe.Add(ref b, a * sa);
                ref double mRow = ref Unsafe.Add(ref m, i);
                nint s1 = sa, s2 = 2 * s1, s3 = 3 * s1, s4 = 4 * s1, s5 = 5 * s1;
                for (int k = 0; k < depth; k++)
                {
                    TVec m0 = TL.Load(ref mRow);
                    TVec m1 = TL.Load(ref Unsafe.Add(ref mRow, w));
                    TVec x = TL.Broadcast(b0);
                    c00 = TL.MultiplyAdd(x, m0, c00);
                    c01 = TL.MultiplyAdd(x, m1, c01);
                    x = TL.Broadcast(Unsafe.Add(ref b0, s1));
                    c10 = TL.MultiplyAdd(x, m0, c10);
                    c11 = TL.MultiplyAdd(x, m1, c11);
                    x = TL.Broadcast(Unsafe.Add(ref b0, s2));
                    c20 = TL.MultiplyAdd(x, m0, c20);
                    c21 = TL.MultiplyAdd(x, m1, c21);
                    x = TL.Broadcast(Unsafe.Add(ref b0, s3));
                    c30 = TL.MultiplyAdd(x, m0, c30);
                    c31 = TL.MultiplyAdd(x, m1, c31);
                    x = TL.Broadcast(Unsafe.Add(ref b0, s4));
                    c40 = TL.MultiplyAdd(x, m0, c40);
                    c41 = TL.MultiplyAdd(x, m1, c41);
                    x = TL.Broadcast(Unsafe.Add(ref b0, s5));
                    c50 = TL.MultiplyAdd(x, m0, c50);
                    c51 = TL.MultiplyAdd(x, m1, c51);
                    mRow = ref Unsafe.Add(ref mRow, ld);
                    b0 = ref Unsafe.Add(ref b0, step);
                }

                ref double cRow = ref Unsafe.Add(ref c, (a * ld) + i);
                Put2<TL, TVec>(c00, c01, ref cRow, w, accumulate);
                Put2<TL, TVec>(c10, c11, ref Unsafe.Add(ref cRow, ld), w, accumulate);
                Put2<TL, TVec>(c20, c21, ref Unsafe.Add(ref cRow, 2 * ld), w, accumulate);
                Put2<TL, TVec>(c30, c31, ref Unsafe.Add(ref cRow, 3 * ld), w, accumulate);
                Put2<TL, TVec>(c40, c41, ref Unsafe.Add(ref cRow, 4 * ld), w, accumulate);
                Put2<TL, TVec>(c50, c51, ref Unsafe.Add(ref cRow, 5 * ld), w, accumulate);
            }
        }

        // Remaining rows (64 = 10·6 + 4): four at a time while they last, so the common 4-row remainder keeps 8
        // accumulator chains instead of 2.
        for (; a + 4 <= rows; a += 4)
        {
            for (int i = firstColumn; i < endColumn; i += 2 * w)
            {
                TVec c00 = TL.Zero, c01 = TL.Zero, c10 = TL.Zero, c11 = TL.Zero;
                TVec c20 = TL.Zero, c21 = TL.Zero, c30 = TL.Zero, c31 = TL.Zero;
                ref double b0 = ref Unsafe.Add(ref b, a * sa);
                ref double mRow = ref Unsafe.Add(ref m, i);
                nint s1 = sa, s2 = 2 * s1, s3 = 3 * s1;
                for (int k = 0; k < depth; k++)
                {
                    TVec m0 = TL.Load(ref mRow);
                    TVec m1 = TL.Load(ref Unsafe.Add(ref mRow, w));
                    TVec x = TL.Broadcast(b0);
                    c00 = TL.MultiplyAdd(x, m0, c00);
                    c01 = TL.MultiplyAdd(x, m1, c01);
                    x = TL.Broadcast(Unsafe.Add(ref b0, s1));
                    c10 = TL.MultiplyAdd(x, m0, c10);
                    c11 = TL.MultiplyAdd(x, m1, c11);
                    x = TL.Broadcast(Unsafe.Add(ref b0, s2));
                    c20 = TL.MultiplyAdd(x, m0, c20);
                    c21 = TL.MultiplyAdd(x, m1, c21);
                    x = TL.Broadcast(Unsafe.Add(ref b0, s3));
                    c30 = TL.MultiplyAdd(x, m0, c30);
                    c31 = TL.MultiplyAdd(x, m1, c31);
                    mRow = ref Unsafe.Add(ref mRow, ld);
                    b0 = ref Unsafe.Add(ref b0, step);
                }

                ref double cRow = ref Unsafe.Add(ref c, (a * ld) + i);
                Put2<TL, TVec>(c00, c01, ref cRow, w, accumulate);
                Put2<TL, TVec>(c10, c11, ref Unsafe.Add(ref cRow, ld), w, accumulate);
                Put2<TL, TVec>(c20, c21, ref Unsafe.Add(ref cRow, 2 * ld), w, accumulate);
                Put2<TL, TVec>(c30, c31, ref Unsafe.Add(ref cRow, 3 * ld), w, accumulate);
            }
        }

        for (; a < rows; a++)
        {
            for (int i = firstColumn; i < endColumn; i += 2 * w)
            {
                TVec c0 = TL.Zero, c1 = TL.Zero;
                ref double b0 = ref Unsafe.Add(ref b, a * sa);
                ref double mRow = ref Unsafe.Add(ref m, i);
                for (int k = 0; k < depth; k++)
                {
                    TVec x = TL.Broadcast(b0);
                    c0 = TL.MultiplyAdd(x, TL.Load(ref mRow), c0);
                    c1 = TL.MultiplyAdd(x, TL.Load(ref Unsafe.Add(ref mRow, w)), c1);
                    mRow = ref Unsafe.Add(ref mRow, ld);
                    b0 = ref Unsafe.Add(ref b0, step);
                }

                Put2<TL, TVec>(c0, c1, ref Unsafe.Add(ref c, (a * ld) + i), w, accumulate);
            }
        }

        return asked;
    }

    /// <summary>
    /// The depth above which <see cref="MultiplyBlock6x4{TL, TVec}"/> takes 6-row blocks: M (depth × 64 doubles) is then
    /// larger than 32 KB and no longer stays in L1 between row blocks, so reading it less often pays; at depth 64 and
    /// below the 4 × 4 block runs at the peak, and 6 rows gave two threads at (16384, 32, 1024) tanh 4–8 % less (its
    /// cached backward is bound by memory, and fewer, larger prefetch shares per tile did not help it).
    /// </summary>
    internal const int SixRowDepth = 64;

    /// <summary>
    /// How many 6-row blocks <see cref="MultiplyBlock6x4{TL, TVec}"/> runs on <paramref name="rows"/> rows: as many as
    /// leave a multiple of 4 rows (or, for an odd count, a multiple of 4 and one row) for the 4-row blocks, so that from 4
    /// rows on only an odd count's last row runs alone: 64 = 10·6 + 4, 32 = 4·6 + 2·4, 256 = 42·6 + 4, 23 = 3·6 + 4 + 1.
    /// </summary>
    internal static int SixRowBlocks(int rows)
    {
        int six = rows / 6;
        while (six > 0 && (rows - (6 * six)) % 4 != rows % 2)
        {
            six--;
        }

        return six;
    }

    /// <summary>
    /// 6 rows × 4 vectors per register block (32-register files: 24 accumulators + 4 loads + 1 broadcast = 29 registers,
    /// 10 loads per 24 FMAs) over the first <paramref name="sixEnd"/> rows — <see cref="SixRowBlocks"/> of them above
    /// <see cref="SixRowDepth"/>, none at depth 64 and below —; <see cref="MultiplyBlock4x4{TL, TVec}"/> takes the rows
    /// left. Row blocks outside, column strips inside, as in <see cref="MultiplyBlock6x2{TL, TVec}"/>; returns the
    /// prefetch lines asked for so far (<paramref name="asked"/> on entry).
    /// </summary>
    /// <remarks>
    /// It was 4 × 4 (16 accumulators, 8 loads per 16 FMAs). In the W1 step at d = 256 M is the packed particle tile
    /// (256 × 64, 128 KB), re-read from L2 by every row block: with 4 × 4 a Zen 5 core, whose FMAs are 512 bits wide, asks
    /// L2 for 32 bytes a cycle of M while L2 also carries the cache block's stores and prefetches and B's rows; 6 rows per
    /// block read M 1.5 times less often. (In a scratch loop over one tile, where L2 serves M alone, both blocks run at
    /// the peak: that the step's other traffic is what made 4 × 4 slower there is the likely reading, not a measured one —
    /// no hardware counters on these hosts.) Measured on a Zen 5 (2026-12-07, alternated with
    /// the 4 × 4 build, median of the steps): `w1 --L 1024 --d 256 --n 16384 --act relu` one thread 224.1–229.7 →
    /// 207.5–217.7 ms, two threads 122.2–126.0 → 112.9–118.3 ms, tanh two threads 147.1–153.5 → 134.2–143.4 ms; d = 32
    /// and 64 and the interaction step within the noise (specs/performance.md §2).
    /// </remarks>
    private static int MultiplyBlock6x4<TL, TVec>(
        ref double b, int sa, int sb, int sixEnd, int depth, ref double m, ref double c, bool accumulate, ref double prefetch, int asked, int total,
        int perBlock, int endColumn)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        const int ld = Tiles.Particles;
        nint step = sb; // native-int strides (see MultiplyBlock6x2)
        int w = TL.Count;
        for (int a = 0; a < sixEnd; a += 6)
        {
            for (int i = 0; i < endColumn; i += 4 * w)
            {
                asked = PrefetchShare(ref prefetch, asked, total, perBlock);

                TVec c00 = TL.Zero, c01 = TL.Zero, c02 = TL.Zero, c03 = TL.Zero;
                TVec c10 = TL.Zero, c11 = TL.Zero, c12 = TL.Zero, c13 = TL.Zero;
                TVec c20 = TL.Zero, c21 = TL.Zero, c22 = TL.Zero, c23 = TL.Zero;
                TVec c30 = TL.Zero, c31 = TL.Zero, c32 = TL.Zero, c33 = TL.Zero;
                TVec c40 = TL.Zero, c41 = TL.Zero, c42 = TL.Zero, c43 = TL.Zero;
                TVec c50 = TL.Zero, c51 = TL.Zero, c52 = TL.Zero, c53 = TL.Zero;
                ref double b0 = ref Unsafe.Add(ref b, a * sa);
                ref double mRow = ref Unsafe.Add(ref m, i);
                nint s1 = sa, s2 = 2 * s1, s3 = 3 * s1, s4 = 4 * s1, s5 = 5 * s1;
                for (int k = 0; k < depth; k++)
                {
                    TVec m0 = TL.Load(ref mRow);
                    TVec m1 = TL.Load(ref Unsafe.Add(ref mRow, w));
                    TVec m2 = TL.Load(ref Unsafe.Add(ref mRow, 2 * w));
                    TVec m3 = TL.Load(ref Unsafe.Add(ref mRow, 3 * w));
                    Fma4<TL, TVec>(TL.Broadcast(b0), m0, m1, m2, m3, ref c00, ref c01, ref c02, ref c03);
                    Fma4<TL, TVec>(TL.Broadcast(Unsafe.Add(ref b0, s1)), m0, m1, m2, m3, ref c10, ref c11, ref c12, ref c13);
                    Fma4<TL, TVec>(TL.Broadcast(Unsafe.Add(ref b0, s2)), m0, m1, m2, m3, ref c20, ref c21, ref c22, ref c23);
                    Fma4<TL, TVec>(TL.Broadcast(Unsafe.Add(ref b0, s3)), m0, m1, m2, m3, ref c30, ref c31, ref c32, ref c33);
                    Fma4<TL, TVec>(TL.Broadcast(Unsafe.Add(ref b0, s4)), m0, m1, m2, m3, ref c40, ref c41, ref c42, ref c43);
                    Fma4<TL, TVec>(TL.Broadcast(Unsafe.Add(ref b0, s5)), m0, m1, m2, m3, ref c50, ref c51, ref c52, ref c53);
                    mRow = ref Unsafe.Add(ref mRow, ld);
                    b0 = ref Unsafe.Add(ref b0, step);
                }

                ref double cRow = ref Unsafe.Add(ref c, (a * ld) + i);
                Put<TL, TVec>(c00, c01, c02, c03, ref cRow, w, accumulate);
                Put<TL, TVec>(c10, c11, c12, c13, ref Unsafe.Add(ref cRow, ld), w, accumulate);
                Put<TL, TVec>(c20, c21, c22, c23, ref Unsafe.Add(ref cRow, 2 * ld), w, accumulate);
                Put<TL, TVec>(c30, c31, c32, c33, ref Unsafe.Add(ref cRow, 3 * ld), w, accumulate);
                Put<TL, TVec>(c40, c41, c42, c43, ref Unsafe.Add(ref cRow, 4 * ld), w, accumulate);
                Put<TL, TVec>(c50, c51, c52, c53, ref Unsafe.Add(ref cRow, 5 * ld), w, accumulate);
            }
        }

        return asked;
    }

    /// <summary>
    /// 4 rows × 4 vectors per register block (32-register files: 16 accumulators + 4 loads + 1 broadcast = 21 registers),
    /// from row <paramref name="firstRow"/> on, then the rows left one by one — the block for depths up to
    /// <see cref="SixRowDepth"/> and for the rows after <see cref="MultiplyBlock6x4{TL, TVec}"/>'s. A method of its own:
    /// in one method with the 6-row loop, the JIT kept this loop's B stride on the stack (a load and a jump more per
    /// depth step), and (16384, 32, 1024) tanh on two threads went 4 % slower.
    /// </summary>
    private static int MultiplyBlock4x4<TL, TVec>(
        ref double b, int sa, int sb, int firstRow, int rows, int depth, ref double m, ref double c, bool accumulate, ref double prefetch, int asked,
        int total, int perBlock, int endColumn)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        const int ld = Tiles.Particles;
        nint step = sb; // native-int strides (see MultiplyBlock6x2)
        int w = TL.Count;
        int a = firstRow;
        for (; a + 4 <= rows; a += 4)
        {
            for (int i = 0; i < endColumn; i += 4 * w)
            {
                asked = PrefetchShare(ref prefetch, asked, total, perBlock);

                TVec c00 = TL.Zero, c01 = TL.Zero, c02 = TL.Zero, c03 = TL.Zero;
                TVec c10 = TL.Zero, c11 = TL.Zero, c12 = TL.Zero, c13 = TL.Zero;
                TVec c20 = TL.Zero, c21 = TL.Zero, c22 = TL.Zero, c23 = TL.Zero;
                TVec c30 = TL.Zero, c31 = TL.Zero, c32 = TL.Zero, c33 = TL.Zero;
                ref double b0 = ref Unsafe.Add(ref b, a * sa);
                ref double mRow = ref Unsafe.Add(ref m, i);
                nint s1 = sa, s2 = 2 * s1, s3 = 3 * s1;
                for (int k = 0; k < depth; k++)
                {
                    TVec m0 = TL.Load(ref mRow);
                    TVec m1 = TL.Load(ref Unsafe.Add(ref mRow, w));
                    TVec m2 = TL.Load(ref Unsafe.Add(ref mRow, 2 * w));
                    TVec m3 = TL.Load(ref Unsafe.Add(ref mRow, 3 * w));
                    Fma4<TL, TVec>(TL.Broadcast(b0), m0, m1, m2, m3, ref c00, ref c01, ref c02, ref c03);
                    Fma4<TL, TVec>(TL.Broadcast(Unsafe.Add(ref b0, s1)), m0, m1, m2, m3, ref c10, ref c11, ref c12, ref c13);
                    Fma4<TL, TVec>(TL.Broadcast(Unsafe.Add(ref b0, s2)), m0, m1, m2, m3, ref c20, ref c21, ref c22, ref c23);
                    Fma4<TL, TVec>(TL.Broadcast(Unsafe.Add(ref b0, s3)), m0, m1, m2, m3, ref c30, ref c31, ref c32, ref c33);
                    mRow = ref Unsafe.Add(ref mRow, ld);
                    b0 = ref Unsafe.Add(ref b0, step);
                }

                ref double cRow = ref Unsafe.Add(ref c, (a * ld) + i);
                Put<TL, TVec>(c00, c01, c02, c03, ref cRow, w, accumulate);
                Put<TL, TVec>(c10, c11, c12, c13, ref Unsafe.Add(ref cRow, ld), w, accumulate);
                Put<TL, TVec>(c20, c21, c22, c23, ref Unsafe.Add(ref cRow, 2 * ld), w, accumulate);
                Put<TL, TVec>(c30, c31, c32, c33, ref Unsafe.Add(ref cRow, 3 * ld), w, accumulate);
            }
        }

        for (; a < rows; a++)
        {
            for (int i = 0; i < endColumn; i += 4 * w)
            {
                TVec c0 = TL.Zero, c1 = TL.Zero, c2 = TL.Zero, c3 = TL.Zero;
                ref double b0 = ref Unsafe.Add(ref b, a * sa);
                ref double mRow = ref Unsafe.Add(ref m, i);
                for (int k = 0; k < depth; k++)
                {
                    TVec x = TL.Broadcast(b0);
                    c0 = TL.MultiplyAdd(x, TL.Load(ref mRow), c0);
                    c1 = TL.MultiplyAdd(x, TL.Load(ref Unsafe.Add(ref mRow, w)), c1);
                    c2 = TL.MultiplyAdd(x, TL.Load(ref Unsafe.Add(ref mRow, 2 * w)), c2);
                    c3 = TL.MultiplyAdd(x, TL.Load(ref Unsafe.Add(ref mRow, 3 * w)), c3);
                    mRow = ref Unsafe.Add(ref mRow, ld);
                    b0 = ref Unsafe.Add(ref b0, step);
                }

                Put<TL, TVec>(c0, c1, c2, c3, ref Unsafe.Add(ref c, (a * ld) + i), w, accumulate);
            }
        }

        return asked;
    }

    /// <summary>One row of a 4-vector register block for one depth step: c_j = fma(x, m_j, c_j), j = 0 … 3 (x the row's
    /// broadcast value). Inlined into the blocks' depth loops, whose accumulators stay in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Fma4<TL, TVec>(TVec x, TVec m0, TVec m1, TVec m2, TVec m3, ref TVec c0, ref TVec c1, ref TVec c2, ref TVec c3)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        c0 = TL.MultiplyAdd(x, m0, c0);
        c1 = TL.MultiplyAdd(x, m1, c1);
        c2 = TL.MultiplyAdd(x, m2, c2);
        c3 = TL.MultiplyAdd(x, m3, c3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put2<TL, TVec>(TVec v0, TVec v1, ref double destination, int w, bool accumulate)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        ref double d1 = ref Unsafe.Add(ref destination, w);
        if (accumulate)
        {
            v0 = TL.Add(TL.Load(ref destination), v0);
            v1 = TL.Add(TL.Load(ref d1), v1);
        }

        TL.Store(v0, ref destination);
        TL.Store(v1, ref d1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<TL, TVec>(TVec v0, TVec v1, TVec v2, TVec v3, ref double destination, int w, bool accumulate)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        ref double d1 = ref Unsafe.Add(ref destination, w);
        ref double d2 = ref Unsafe.Add(ref destination, 2 * w);
        ref double d3 = ref Unsafe.Add(ref destination, 3 * w);
        if (accumulate)
        {
            v0 = TL.Add(TL.Load(ref destination), v0);
            v1 = TL.Add(TL.Load(ref d1), v1);
            v2 = TL.Add(TL.Load(ref d2), v2);
            v3 = TL.Add(TL.Load(ref d3), v3);
        }

        TL.Store(v0, ref destination);
        TL.Store(v1, ref d1);
        TL.Store(v2, ref d2);
        TL.Store(v3, ref d3);
    }
}

/// <summary>Tile sizes of the streaming schedule.</summary>
internal static class Tiles
{
    /// <summary>Samples per tile (the forward pass's unit of parallel work).</summary>
    public const int Samples = 64;

    /// <summary>Particles per tile (the backward pass's unit of parallel work); a multiple of 2 × 8 lanes.</summary>
    public const int Particles = 64;
}

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
/// a 4 × 4-vector register block (16 accumulators: 4 broadcasts + 4 loads per 16 FMAs, enough independent
/// chains to cover the FMA latency on two pipes) keeps both FMA pipes busy from L1.
/// </remarks>
internal static class TileProduct
{
    /// <summary>Depth per pass: a 64-deep strip of M (64 × 4 vectors) stays in L1 while the row blocks stream past it.</summary>
    private const int DepthBlock = 64;

    public static void Multiply<TL, TVec>(
        ref double b, int sa, int sb, int rows, int depth, ref double m, ref double c, bool accumulate)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        // Long depths (d = 256) in fixed 64-deep passes, each added onto C in order (deterministic; no thread dependence).
        for (int k0 = 0; k0 < depth; k0 += DepthBlock)
        {
            MultiplyBlock<TL, TVec>(
                ref Unsafe.Add(ref b, k0 * sb), sa, sb, rows, Math.Min(DepthBlock, depth - k0),
                ref Unsafe.Add(ref m, k0 * Tiles.Particles), ref c, accumulate || k0 > 0);
        }
    }

    private static void MultiplyBlock<TL, TVec>(
        ref double b, int sa, int sb, int rows, int depth, ref double m, ref double c, bool accumulate)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        const int ld = Tiles.Particles;
        int w = TL.Count;
        for (int i = 0; i < ld; i += 4 * w)
        {
            int a = 0;
            for (; a + 4 <= rows; a += 4)
            {
                TVec c00 = TL.Zero, c01 = TL.Zero, c02 = TL.Zero, c03 = TL.Zero;
                TVec c10 = TL.Zero, c11 = TL.Zero, c12 = TL.Zero, c13 = TL.Zero;
                TVec c20 = TL.Zero, c21 = TL.Zero, c22 = TL.Zero, c23 = TL.Zero;
                TVec c30 = TL.Zero, c31 = TL.Zero, c32 = TL.Zero, c33 = TL.Zero;
                ref double b0 = ref Unsafe.Add(ref b, a * sa);
                ref double mRow = ref Unsafe.Add(ref m, i);
                int s1 = sa, s2 = 2 * sa, s3 = 3 * sa;
                for (int k = 0; k < depth; k++)
                {
                    TVec m0 = TL.Load(ref mRow);
                    TVec m1 = TL.Load(ref Unsafe.Add(ref mRow, w));
                    TVec m2 = TL.Load(ref Unsafe.Add(ref mRow, 2 * w));
                    TVec m3 = TL.Load(ref Unsafe.Add(ref mRow, 3 * w));
                    TVec x = TL.Broadcast(b0);
                    c00 = TL.MultiplyAdd(x, m0, c00);
                    c01 = TL.MultiplyAdd(x, m1, c01);
                    c02 = TL.MultiplyAdd(x, m2, c02);
                    c03 = TL.MultiplyAdd(x, m3, c03);
                    x = TL.Broadcast(Unsafe.Add(ref b0, s1));
                    c10 = TL.MultiplyAdd(x, m0, c10);
                    c11 = TL.MultiplyAdd(x, m1, c11);
                    c12 = TL.MultiplyAdd(x, m2, c12);
                    c13 = TL.MultiplyAdd(x, m3, c13);
                    x = TL.Broadcast(Unsafe.Add(ref b0, s2));
                    c20 = TL.MultiplyAdd(x, m0, c20);
                    c21 = TL.MultiplyAdd(x, m1, c21);
                    c22 = TL.MultiplyAdd(x, m2, c22);
                    c23 = TL.MultiplyAdd(x, m3, c23);
                    x = TL.Broadcast(Unsafe.Add(ref b0, s3));
                    c30 = TL.MultiplyAdd(x, m0, c30);
                    c31 = TL.MultiplyAdd(x, m1, c31);
                    c32 = TL.MultiplyAdd(x, m2, c32);
                    c33 = TL.MultiplyAdd(x, m3, c33);
                    mRow = ref Unsafe.Add(ref mRow, ld);
                    b0 = ref Unsafe.Add(ref b0, sb);
                }

                ref double cRow = ref Unsafe.Add(ref c, (a * ld) + i);
                Put<TL, TVec>(c00, c01, c02, c03, ref cRow, w, accumulate);
                Put<TL, TVec>(c10, c11, c12, c13, ref Unsafe.Add(ref cRow, ld), w, accumulate);
                Put<TL, TVec>(c20, c21, c22, c23, ref Unsafe.Add(ref cRow, 2 * ld), w, accumulate);
                Put<TL, TVec>(c30, c31, c32, c33, ref Unsafe.Add(ref cRow, 3 * ld), w, accumulate);
            }

            for (; a < rows; a++)
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
                    b0 = ref Unsafe.Add(ref b0, sb);
                }

                Put<TL, TVec>(c0, c1, c2, c3, ref Unsafe.Add(ref c, (a * ld) + i), w, accumulate);
            }
        }
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

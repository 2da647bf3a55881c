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
/// Hand-written rather than a BLAS call: the tile is tiny (64 × 64 × d) and sits between the generated
/// operators of one fused tile loop, so a library call would cost more in overhead and lose the fusion;
/// a 4 × 2-vector register block (4 broadcasts + 2 loads per 8 FMAs) stays in L1.
/// </remarks>
internal static class TileProduct
{
    public static void Multiply<TL, TVec>(
        ref double b, int sa, int sb, int rows, int depth, ref double m, ref double c, bool accumulate)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        const int ld = Tiles.Particles;
        int w = TL.Count;
        for (int i = 0; i < ld; i += 2 * w)
        {
            int a = 0;
            for (; a + 4 <= rows; a += 4)
            {
                TVec c00 = TL.Zero, c01 = TL.Zero, c10 = TL.Zero, c11 = TL.Zero;
                TVec c20 = TL.Zero, c21 = TL.Zero, c30 = TL.Zero, c31 = TL.Zero;
                ref double b0 = ref Unsafe.Add(ref b, a * sa);
                ref double b1 = ref Unsafe.Add(ref b0, sa);
                ref double b2 = ref Unsafe.Add(ref b1, sa);
                ref double b3 = ref Unsafe.Add(ref b2, sa);
                ref double mRow = ref Unsafe.Add(ref m, i);
                int bOffset = 0;
                for (int k = 0; k < depth; k++)
                {
                    TVec m0 = TL.Load(ref mRow);
                    TVec m1 = TL.Load(ref Unsafe.Add(ref mRow, w));
                    TVec x0 = TL.Broadcast(Unsafe.Add(ref b0, bOffset));
                    c00 = TL.MultiplyAdd(x0, m0, c00);
                    c01 = TL.MultiplyAdd(x0, m1, c01);
                    TVec x1 = TL.Broadcast(Unsafe.Add(ref b1, bOffset));
                    c10 = TL.MultiplyAdd(x1, m0, c10);
                    c11 = TL.MultiplyAdd(x1, m1, c11);
                    TVec x2 = TL.Broadcast(Unsafe.Add(ref b2, bOffset));
                    c20 = TL.MultiplyAdd(x2, m0, c20);
                    c21 = TL.MultiplyAdd(x2, m1, c21);
                    TVec x3 = TL.Broadcast(Unsafe.Add(ref b3, bOffset));
                    c30 = TL.MultiplyAdd(x3, m0, c30);
                    c31 = TL.MultiplyAdd(x3, m1, c31);
                    mRow = ref Unsafe.Add(ref mRow, ld);
                    bOffset += sb;
                }

                ref double cRow = ref Unsafe.Add(ref c, (a * ld) + i);
                Put<TL, TVec>(c00, c01, ref cRow, w, accumulate);
                Put<TL, TVec>(c10, c11, ref Unsafe.Add(ref cRow, ld), w, accumulate);
                Put<TL, TVec>(c20, c21, ref Unsafe.Add(ref cRow, 2 * ld), w, accumulate);
                Put<TL, TVec>(c30, c31, ref Unsafe.Add(ref cRow, 3 * ld), w, accumulate);
            }

            for (; a < rows; a++)
            {
                TVec c0 = TL.Zero, c1 = TL.Zero;
                ref double b0 = ref Unsafe.Add(ref b, a * sa);
                ref double mRow = ref Unsafe.Add(ref m, i);
                int bOffset = 0;
                for (int k = 0; k < depth; k++)
                {
                    TVec x0 = TL.Broadcast(Unsafe.Add(ref b0, bOffset));
                    c0 = TL.MultiplyAdd(x0, TL.Load(ref mRow), c0);
                    c1 = TL.MultiplyAdd(x0, TL.Load(ref Unsafe.Add(ref mRow, w)), c1);
                    mRow = ref Unsafe.Add(ref mRow, ld);
                    bOffset += sb;
                }

                Put<TL, TVec>(c0, c1, ref Unsafe.Add(ref c, (a * ld) + i), w, accumulate);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<TL, TVec>(TVec v0, TVec v1, ref double destination, int w, bool accumulate)
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
}

/// <summary>Tile sizes of the streaming schedule.</summary>
internal static class Tiles
{
    /// <summary>Samples per tile (the forward pass's unit of parallel work).</summary>
    public const int Samples = 64;

    /// <summary>Particles per tile (the backward pass's unit of parallel work); a multiple of 2 × 8 lanes.</summary>
    public const int Particles = 64;
}

using System.Runtime.CompilerServices;

namespace MeanField.Reductions;

/// <summary>
/// The squared-distance pair channels of a tile, computed directly: C[a, i] = Σ_k (B[a·sa + k·sb] − M[k·64 + i])² for
/// a &lt; rows and i &lt; <see cref="Tiles.Particles"/> (M packed as in <see cref="TileProduct"/>). Never expanded as
/// |b|² − 2b·m + |m|², which cancels to wrong (even negative) values when b ≈ m — the self-pair of a kernel.
/// </summary>
internal static class TileDistance
{
    public static void Compute<TL, TVec>(ref double b, int sa, int sb, int rows, int depth, ref double m, ref double c)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        const int ld = Tiles.Particles;
        int w = TL.Count;
        for (int i = 0; i < ld; i += 4 * w)
        {
            for (int a = 0; a < rows; a++)
            {
                TVec c0 = TL.Zero, c1 = TL.Zero, c2 = TL.Zero, c3 = TL.Zero;
                ref double b0 = ref Unsafe.Add(ref b, a * sa);
                ref double mRow = ref Unsafe.Add(ref m, i);
                for (int k = 0; k < depth; k++)
                {
                    TVec x = TL.Broadcast(b0);
                    TVec t0 = TL.Subtract(TL.Load(ref mRow), x);
                    TVec t1 = TL.Subtract(TL.Load(ref Unsafe.Add(ref mRow, w)), x);
                    TVec t2 = TL.Subtract(TL.Load(ref Unsafe.Add(ref mRow, 2 * w)), x);
                    TVec t3 = TL.Subtract(TL.Load(ref Unsafe.Add(ref mRow, 3 * w)), x);
                    c0 = TL.MultiplyAdd(t0, t0, c0);
                    c1 = TL.MultiplyAdd(t1, t1, c1);
                    c2 = TL.MultiplyAdd(t2, t2, c2);
                    c3 = TL.MultiplyAdd(t3, t3, c3);
                    mRow = ref Unsafe.Add(ref mRow, ld);
                    b0 = ref Unsafe.Add(ref b0, sb);
                }

                ref double destination = ref Unsafe.Add(ref c, (a * ld) + i);
                TL.Store(c0, ref destination);
                TL.Store(c1, ref Unsafe.Add(ref destination, w));
                TL.Store(c2, ref Unsafe.Add(ref destination, 2 * w));
                TL.Store(c3, ref Unsafe.Add(ref destination, 3 * w));
            }
        }
    }
}

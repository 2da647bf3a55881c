using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MeanField.Numerics;

/// <summary>
/// 8 × 8 transposes of doubles in registers, for the layouts that turn rows into 64-wide tiles: the DGM reverse pass's H
/// into W̄'s chunks (<c>DgmKernels.Transpose</c>) and the particles' rows into the tile engine's d × 64 tiles
/// (<c>PairSide.Prepare</c>). Each writes whole rows of 8 values where an element loop stores each value one row apart.
/// </summary>
internal static class BlockTranspose
{
    /// <summary>
    /// The block this CPU transposes in registers: 8 (AVX-512: <see cref="Transpose8x8"/>), 4 (AVX: <see cref="Transpose4x4"/>),
    /// or 0 (neither: use an element loop).
    /// </summary>
    public static int Size => Avx512F.IsSupported ? 8 : Avx.IsSupported ? 4 : 0;

    /// <summary>
    /// Out[c · outputStride + r] = In[r · inputStride + c] for r, c &lt; <paramref name="size"/> (8 or 4, at most
    /// <see cref="Size"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose(int size, ref double input, int inputStride, ref double output, int outputStride)
    {
        if (size == 8)
        {
            Transpose8x8(ref input, inputStride, ref output, outputStride);
        }
        else
        {
            Transpose4x4(ref input, inputStride, ref output, outputStride);
        }
    }

    /// <summary>
    /// Out[c · outputStride + r] = In[r · inputStride + c] for r, c &lt; 4 (a 4 × 4 block, AVX): unpack pairs of rows,
    /// then swap 128-bit halves (vperm2f128).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose4x4(ref double input, int inputStride, ref double output, int outputStride)
    {
        Vector256<double> v0 = Vector256.LoadUnsafe(ref input), v1 = Vector256.LoadUnsafe(ref input, (nuint)inputStride);
        Vector256<double> v2 = Vector256.LoadUnsafe(ref input, (nuint)(2 * inputStride)), v3 = Vector256.LoadUnsafe(ref input, (nuint)(3 * inputStride));

        // (v0[0], v1[0], v0[2], v1[2]), (v0[1], v1[1], v0[3], v1[3]), and the same of rows 2 and 3.
        Vector256<double> t0 = Avx.UnpackLow(v0, v1), t1 = Avx.UnpackHigh(v0, v1);
        Vector256<double> t2 = Avx.UnpackLow(v2, v3), t3 = Avx.UnpackHigh(v2, v3);

        // Low halves of (t0, t2) are column 0, high halves column 2; (t1, t3) give columns 1 and 3.
        Avx.Permute2x128(t0, t2, 0x20).StoreUnsafe(ref output);
        Avx.Permute2x128(t1, t3, 0x20).StoreUnsafe(ref output, (nuint)outputStride);
        Avx.Permute2x128(t0, t2, 0x31).StoreUnsafe(ref output, (nuint)(2 * outputStride));
        Avx.Permute2x128(t1, t3, 0x31).StoreUnsafe(ref output, (nuint)(3 * outputStride));
    }

    /// <summary>
    /// Out[c · outputStride + r] = In[r · inputStride + c] for r, c &lt; 8 (an 8 × 8 block): unpack pairs of
    /// rows, then two rounds of two-source permutes (vpermt2pd).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose8x8(ref double input, int inputStride, ref double output, int outputStride)
    {
        Vector512<double> v0 = Vector512.LoadUnsafe(ref input), v1 = Vector512.LoadUnsafe(ref input, (nuint)inputStride);
        Vector512<double> v2 = Vector512.LoadUnsafe(ref input, (nuint)(2 * inputStride)), v3 = Vector512.LoadUnsafe(ref input, (nuint)(3 * inputStride));
        Vector512<double> v4 = Vector512.LoadUnsafe(ref input, (nuint)(4 * inputStride)), v5 = Vector512.LoadUnsafe(ref input, (nuint)(5 * inputStride));
        Vector512<double> v6 = Vector512.LoadUnsafe(ref input, (nuint)(6 * inputStride)), v7 = Vector512.LoadUnsafe(ref input, (nuint)(7 * inputStride));

        // t(2k) = (v_{2k}[0], v_{2k+1}[0], v_{2k}[2], v_{2k+1}[2], …), t(2k+1) the odd elements.
        Vector512<double> t0 = Avx512F.UnpackLow(v0, v1), t1 = Avx512F.UnpackHigh(v0, v1);
        Vector512<double> t2 = Avx512F.UnpackLow(v2, v3), t3 = Avx512F.UnpackHigh(v2, v3);
        Vector512<double> t4 = Avx512F.UnpackLow(v4, v5), t5 = Avx512F.UnpackHigh(v4, v5);
        Vector512<double> t6 = Avx512F.UnpackLow(v6, v7), t7 = Avx512F.UnpackHigh(v6, v7);

        // Rows 0–3 of columns (0, 4), (2, 6), (1, 5), (3, 7); then rows 4–7 of the same.
        Vector512<long> even = Vector512.Create(0L, 1, 8, 9, 4, 5, 12, 13), odd = Vector512.Create(2L, 3, 10, 11, 6, 7, 14, 15);
        Vector512<double> s0 = Avx512F.PermuteVar8x64x2(t0, even, t2), s1 = Avx512F.PermuteVar8x64x2(t0, odd, t2);
        Vector512<double> s2 = Avx512F.PermuteVar8x64x2(t1, even, t3), s3 = Avx512F.PermuteVar8x64x2(t1, odd, t3);
        Vector512<double> s4 = Avx512F.PermuteVar8x64x2(t4, even, t6), s5 = Avx512F.PermuteVar8x64x2(t4, odd, t6);
        Vector512<double> s6 = Avx512F.PermuteVar8x64x2(t5, even, t7), s7 = Avx512F.PermuteVar8x64x2(t5, odd, t7);

        Vector512<long> low = Vector512.Create(0L, 1, 2, 3, 8, 9, 10, 11), high = Vector512.Create(4L, 5, 6, 7, 12, 13, 14, 15);
        Avx512F.PermuteVar8x64x2(s0, low, s4).StoreUnsafe(ref output);
        Avx512F.PermuteVar8x64x2(s2, low, s6).StoreUnsafe(ref output, (nuint)outputStride);
        Avx512F.PermuteVar8x64x2(s1, low, s5).StoreUnsafe(ref output, (nuint)(2 * outputStride));
        Avx512F.PermuteVar8x64x2(s3, low, s7).StoreUnsafe(ref output, (nuint)(3 * outputStride));
        Avx512F.PermuteVar8x64x2(s0, high, s4).StoreUnsafe(ref output, (nuint)(4 * outputStride));
        Avx512F.PermuteVar8x64x2(s2, high, s6).StoreUnsafe(ref output, (nuint)(5 * outputStride));
        Avx512F.PermuteVar8x64x2(s1, high, s5).StoreUnsafe(ref output, (nuint)(6 * outputStride));
        Avx512F.PermuteVar8x64x2(s3, high, s7).StoreUnsafe(ref output, (nuint)(7 * outputStride));
    }
}

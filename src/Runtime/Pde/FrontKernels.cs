using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MeanField.Reductions;

namespace MeanField.Pde;

/// <summary>
/// The dense kernels of the multifrontal LU (<see cref="NestedDissectionLu"/>): the partial LU of a frontal matrix
/// (pivots restricted to its fully-summed rows) and the product update C −= A·B where its flops are.
/// </summary>
/// <remarks>
/// <para><b>Why hand-written</b> (as <see cref="TileProduct"/>): .NET ships no BLAS; TensorPrimitives offers vector
/// primitives (axpy, dot) but no matrix product, and a product built from them streams C once per rank-1 term
/// (memory-bound, ≈ 1/10 of the FMA peak). The register-tiled kernel keeps a 4 × 4-vector block of C in registers
/// across the depth: 16 accumulators + 4 loads + 1 broadcast = 21 registers, 4 loads per 16 FMAs, the block
/// TileProduct measured at 126 GFLOP/s (Vector512, one Zen 5 core).</para>
/// <para><b>Blocking</b>: B is packed per depth block (<see cref="DepthBlock"/> deep) into panels 4·W columns wide
/// (W = lanes per vector; zero-padded), each panel (128 × 32 doubles = 32 KiB with Vector512) stays in L1 while
/// <see cref="RowBlock"/> rows of A (L2) stream past it. Every C entry is the same sequence of FMAs whatever the
/// thread that runs it: results do not depend on the thread count.</para>
/// <para>The width is chosen once at JIT time: Vector512 where accelerated, else Vector256 (its 4 × 4 block spills on
/// 16-register AVX2 files; not tuned there), else scalars.</para>
/// </remarks>
internal static class FrontKernels
{
    /// <summary>Depth per packed block of B.</summary>
    public const int DepthBlock = 128;

    /// <summary>Rows of A per pass over the packed panels.</summary>
    private const int RowBlock = 96;

    /// <summary>Columns per register block (4 vectors) at the width in use.</summary>
    public static int PanelWidth => Vector512.IsHardwareAccelerated ? 32 : Vector256.IsHardwareAccelerated ? 16 : 4;

    /// <summary>The pack buffer <see cref="SubtractProduct"/> needs for up to <paramref name="columns"/> columns.</summary>
    public static int PackLength(int columns) => DepthBlock * (((columns + 31) / 32) * 32);

    /// <summary>Columns per panel of <see cref="PartialLu"/>.</summary>
    private const int PanelColumns = 64;

    /// <summary>
    /// C[i, j] −= Σ_p A[i, p]·B[p, j] for i &lt; rows, j &lt; columns, p &lt; depth; all row-major with the given leading
    /// dimensions (C must not overlap A or B). <paramref name="pack"/> holds <see cref="PackLength"/>(columns) values.
    /// </summary>
    public static void SubtractProduct(
        ref double a, int lda, ref double b, int ldb, ref double c, int ldc, int rows, int columns, int depth, Span<double> pack)
    {
        if (rows <= 0 || columns <= 0 || depth <= 0)
        {
            return;
        }

        if (Vector512.IsHardwareAccelerated)
        {
            Run<Lanes512, Vector512<double>>(ref a, lda, ref b, ldb, ref c, ldc, rows, columns, depth, pack);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Run<Lanes256, Vector256<double>>(ref a, lda, ref b, ldb, ref c, ldc, rows, columns, depth, pack);
        }
        else
        {
            Run<Lanes1, double>(ref a, lda, ref b, ldb, ref c, ldc, rows, columns, depth, pack);
        }
    }

    /// <summary>
    /// The partial LU of the <paramref name="size"/> × <paramref name="size"/> row-major front F (leading dimension
    /// <paramref name="size"/>) with its first <paramref name="pivots"/>.Length rows and columns fully summed:
    /// F = [F11 F12; F21 F22] → P·F11 = L11·U11, U12 = L11⁻¹P·F12, L21 = F21·U11⁻¹, F22 −= L21·U12 (the Schur
    /// complement, the contribution block). Row interchanges only among the fully-summed rows (partial pivoting
    /// restricted to F11's column: the largest magnitude there), recorded LAPACK-style in <paramref name="pivots"/>
    /// (row j was swapped with row pivots[j] ≥ j). Blocked right-looking: panels of <see cref="PanelColumns"/> columns,
    /// then one <see cref="SubtractProduct"/> for the trailing matrix (F22 included) per panel.
    /// </summary>
    /// <returns>False when a pivot is zero or not finite (the matrix is singular to working precision, or no
    /// fully-summed row can serve: no delayed pivots).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool PartialLu(Span<double> front, int size, Span<int> pivots, Span<double> pack)
    {
        int k = pivots.Length, ld = size;
        ref double f = ref MemoryMarshal.GetReference(front);
        for (int j0 = 0; j0 < k; j0 += PanelColumns)
        {
            int jb = Math.Min(PanelColumns, k - j0), jEnd = j0 + jb;
            for (int j = j0; j < jEnd; j++)
            {
                int p = j;
                double best = Math.Abs(Unsafe.Add(ref f, (j * ld) + j));
                for (int r = j + 1; r < k; r++)
                {
                    double v = Math.Abs(Unsafe.Add(ref f, (r * ld) + j));
                    if (v > best)
                    {
                        best = v;
                        p = r;
                    }
                }

                if (!(best > 0) || !double.IsFinite(best))
                {
                    return false;
                }

                pivots[j] = p;
                if (p != j)
                {
                    Span<double> rowJ = front.Slice(j * ld, size), rowP = front.Slice(p * ld, size);
                    for (int c = 0; c < size; c++)
                    {
                        (rowJ[c], rowP[c]) = (rowP[c], rowJ[c]);
                    }
                }

                double inverse = 1 / Unsafe.Add(ref f, (j * ld) + j);
                ReadOnlySpan<double> pivotRow = front.Slice((j * ld) + j + 1, jEnd - j - 1);
                for (int r = j + 1; r < size; r++)
                {
                    ref double l = ref Unsafe.Add(ref f, (r * ld) + j);
                    l *= inverse;
                    double m = l;
                    if (m != 0)
                    {
                        Span<double> row = front.Slice((r * ld) + j + 1, jEnd - j - 1);
                        Axpy(-m, pivotRow, row);
                    }
                }
            }

            if (jEnd == size)
            {
                break;
            }

            // U of the panel's rows right of the panel: L_panel⁻¹ (unit lower) on F[j0:jEnd, jEnd:size].
            int right = size - jEnd;
            for (int j = j0; j < jEnd; j++)
            {
                ReadOnlySpan<double> source = front.Slice((j * ld) + jEnd, right);
                for (int r = j + 1; r < jEnd; r++)
                {
                    double m = Unsafe.Add(ref f, (r * ld) + j);
                    if (m != 0)
                    {
                        Axpy(-m, source, front.Slice((r * ld) + jEnd, right));
                    }
                }
            }

            // Trailing matrix (the rest of the fully-summed columns and the contribution block).
            SubtractProduct(
                ref Unsafe.Add(ref f, (jEnd * ld) + j0), ld,
                ref Unsafe.Add(ref f, (j0 * ld) + jEnd), ld,
                ref Unsafe.Add(ref f, (jEnd * ld) + jEnd), ld,
                size - jEnd, right, jb, pack);
        }

        return true;
    }

    /// <summary>y += a·x (short rows of the panel: a plain loop the JIT vectorises poorly but that carries few flops).</summary>
    private static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        if (x.Length >= 16)
        {
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(x, a, y, y);
            return;
        }

        for (int i = 0; i < x.Length; i++)
        {
            y[i] = Math.FusedMultiplyAdd(a, x[i], y[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TL, TVec>(
        ref double a, int lda, ref double b, int ldb, ref double c, int ldc, int rows, int columns, int depth, Span<double> pack)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int w = TL.Count, nr = 4 * w;
        int panels = (columns + nr - 1) / nr;
        ref double packed = ref MemoryMarshal.GetReference(pack);
        Span<double> tail = stackalloc double[4 * 32];
        for (int p0 = 0; p0 < depth; p0 += DepthBlock)
        {
            int kc = Math.Min(DepthBlock, depth - p0);

            // Pack B[p0:p0+kc, :] as panels of nr columns, zero-padded.
            for (int panel = 0; panel < panels; panel++)
            {
                int j0 = panel * nr, width = Math.Min(nr, columns - j0);
                ref double target = ref Unsafe.Add(ref packed, panel * kc * nr);
                for (int p = 0; p < kc; p++)
                {
                    ref double source = ref Unsafe.Add(ref b, ((p0 + p) * ldb) + j0);
                    ref double row = ref Unsafe.Add(ref target, p * nr);
                    int j = 0;
                    for (; j < width; j++)
                    {
                        Unsafe.Add(ref row, j) = Unsafe.Add(ref source, j);
                    }

                    for (; j < nr; j++)
                    {
                        Unsafe.Add(ref row, j) = 0;
                    }
                }
            }

            for (int i0 = 0; i0 < rows; i0 += RowBlock)
            {
                int iEnd = Math.Min(rows, i0 + RowBlock);
                for (int panel = 0; panel < panels; panel++)
                {
                    int j0 = panel * nr, width = Math.Min(nr, columns - j0);
                    ref double bp = ref Unsafe.Add(ref packed, panel * kc * nr);
                    int i = i0;
                    for (; i + 4 <= iEnd; i += 4)
                    {
                        Block4<TL, TVec>(ref Unsafe.Add(ref a, (i * lda) + p0), lda, ref bp, kc, ref Unsafe.Add(ref c, (i * ldc) + j0), ldc, width, tail);
                    }

                    for (; i < iEnd; i++)
                    {
                        Block1<TL, TVec>(ref Unsafe.Add(ref a, (i * lda) + p0), ref bp, kc, ref Unsafe.Add(ref c, (i * ldc) + j0), width, tail);
                    }
                }
            }
        }
    }

    /// <summary>4 rows × 4 vectors of C −= A·(packed panel).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block4<TL, TVec>(ref double a, int lda, ref double bp, int depth, ref double c, int ldc, int width, Span<double> tail)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int w = TL.Count, nr = 4 * w;
        TVec c00 = TL.Zero, c01 = TL.Zero, c02 = TL.Zero, c03 = TL.Zero;
        TVec c10 = TL.Zero, c11 = TL.Zero, c12 = TL.Zero, c13 = TL.Zero;
        TVec c20 = TL.Zero, c21 = TL.Zero, c22 = TL.Zero, c23 = TL.Zero;
        TVec c30 = TL.Zero, c31 = TL.Zero, c32 = TL.Zero, c33 = TL.Zero;
        ref double a1 = ref Unsafe.Add(ref a, lda);
        ref double a2 = ref Unsafe.Add(ref a, 2 * lda);
        ref double a3 = ref Unsafe.Add(ref a, 3 * lda);
        for (int p = 0; p < depth; p++)
        {
            TVec b0 = TL.Load(ref bp);
            TVec b1 = TL.Load(ref Unsafe.Add(ref bp, w));
            TVec b2 = TL.Load(ref Unsafe.Add(ref bp, 2 * w));
            TVec b3 = TL.Load(ref Unsafe.Add(ref bp, 3 * w));
            RowUpdate<TL, TVec>(Unsafe.Add(ref a, p), b0, b1, b2, b3, ref c00, ref c01, ref c02, ref c03);
            RowUpdate<TL, TVec>(Unsafe.Add(ref a1, p), b0, b1, b2, b3, ref c10, ref c11, ref c12, ref c13);
            RowUpdate<TL, TVec>(Unsafe.Add(ref a2, p), b0, b1, b2, b3, ref c20, ref c21, ref c22, ref c23);
            RowUpdate<TL, TVec>(Unsafe.Add(ref a3, p), b0, b1, b2, b3, ref c30, ref c31, ref c32, ref c33);
            bp = ref Unsafe.Add(ref bp, nr);
        }

        if (width == nr)
        {
            Subtract4<TL, TVec>(c00, c01, c02, c03, ref c, w);
            Subtract4<TL, TVec>(c10, c11, c12, c13, ref Unsafe.Add(ref c, ldc), w);
            Subtract4<TL, TVec>(c20, c21, c22, c23, ref Unsafe.Add(ref c, 2 * ldc), w);
            Subtract4<TL, TVec>(c30, c31, c32, c33, ref Unsafe.Add(ref c, 3 * ldc), w);
            return;
        }

        ref double t = ref MemoryMarshal.GetReference(tail);
        Store4<TL, TVec>(c00, c01, c02, c03, ref t, w);
        Store4<TL, TVec>(c10, c11, c12, c13, ref Unsafe.Add(ref t, nr), w);
        Store4<TL, TVec>(c20, c21, c22, c23, ref Unsafe.Add(ref t, 2 * nr), w);
        Store4<TL, TVec>(c30, c31, c32, c33, ref Unsafe.Add(ref t, 3 * nr), w);
        for (int r = 0; r < 4; r++)
        {
            for (int j = 0; j < width; j++)
            {
                Unsafe.Add(ref c, (r * ldc) + j) -= Unsafe.Add(ref t, (r * nr) + j);
            }
        }
    }

    /// <summary>1 row × 4 vectors (the rows left over from the 4-row blocks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block1<TL, TVec>(ref double a, ref double bp, int depth, ref double c, int width, Span<double> tail)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int w = TL.Count, nr = 4 * w;
        TVec c0 = TL.Zero, c1 = TL.Zero, c2 = TL.Zero, c3 = TL.Zero;
        for (int p = 0; p < depth; p++)
        {
            RowUpdate<TL, TVec>(
                Unsafe.Add(ref a, p), TL.Load(ref bp), TL.Load(ref Unsafe.Add(ref bp, w)), TL.Load(ref Unsafe.Add(ref bp, 2 * w)),
                TL.Load(ref Unsafe.Add(ref bp, 3 * w)), ref c0, ref c1, ref c2, ref c3);
            bp = ref Unsafe.Add(ref bp, nr);
        }

        if (width == nr)
        {
            Subtract4<TL, TVec>(c0, c1, c2, c3, ref c, w);
            return;
        }

        ref double t = ref MemoryMarshal.GetReference(tail);
        Store4<TL, TVec>(c0, c1, c2, c3, ref t, w);
        for (int j = 0; j < width; j++)
        {
            Unsafe.Add(ref c, j) -= Unsafe.Add(ref t, j);
        }
    }

    /// <summary>One row of a register block, one depth step: c_v += a·b_v for the 4 vectors (inlined: the accumulators
    /// stay in registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowUpdate<TL, TVec>(double a, TVec b0, TVec b1, TVec b2, TVec b3, ref TVec c0, ref TVec c1, ref TVec c2, ref TVec c3)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        TVec x = TL.Broadcast(a);
        c0 = TL.MultiplyAdd(x, b0, c0);
        c1 = TL.MultiplyAdd(x, b1, c1);
        c2 = TL.MultiplyAdd(x, b2, c2);
        c3 = TL.MultiplyAdd(x, b3, c3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Subtract4<TL, TVec>(TVec v0, TVec v1, TVec v2, TVec v3, ref double c, int w)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        TL.Store(TL.Subtract(TL.Load(ref c), v0), ref c);
        TL.Store(TL.Subtract(TL.Load(ref Unsafe.Add(ref c, w)), v1), ref Unsafe.Add(ref c, w));
        TL.Store(TL.Subtract(TL.Load(ref Unsafe.Add(ref c, 2 * w)), v2), ref Unsafe.Add(ref c, 2 * w));
        TL.Store(TL.Subtract(TL.Load(ref Unsafe.Add(ref c, 3 * w)), v3), ref Unsafe.Add(ref c, 3 * w));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4<TL, TVec>(TVec v0, TVec v1, TVec v2, TVec v3, ref double t, int w)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        TL.Store(v0, ref t);
        TL.Store(v1, ref Unsafe.Add(ref t, w));
        TL.Store(v2, ref Unsafe.Add(ref t, 2 * w));
        TL.Store(v3, ref Unsafe.Add(ref t, 3 * w));
    }
}

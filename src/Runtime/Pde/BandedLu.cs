using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MeanField.Pde;

/// <summary>
/// LU factorisation with partial pivoting of an n × n band matrix with kl sub- and ku super-diagonals, in LAPACK's
/// <c>gbtrf</c> layout (column-major, leading dimension 2kl + ku + 1, the top kl rows hold the fill-in of the row
/// interchanges; unblocked <c>gbtf2</c> algorithm). Cost O(n·kl·(kl + ku)); the inner updates are contiguous
/// axpys (vectorised by TensorPrimitives from 16 values on, scalar below). Internal: the linear solver of the PDE Newton methods.
/// </summary>
internal sealed class BandedLu
{
    private double[] _ab = [];
    private int[] _pivots = [];
    private double[] _swapped = []; // FactorBlocked's scratch

    public int Size { get; private set; }

    public int Lower { get; private set; }

    public int Upper { get; private set; }

    private int Ld => (2 * Lower) + Upper + 1;

    /// <summary>Clears the storage for an n × n matrix with bandwidths (kl, ku); grows the buffers only when needed.</summary>
    public void Reset(int n, int kl, int ku)
    {
        Size = n;
        Lower = kl;
        Upper = ku;
        long length = (long)Ld * n;
        if (length > Array.MaxLength)
        {
            throw new InvalidOperationException($"The band matrix ({n} × {n}, kl = {kl}, ku = {ku}) needs {length} values, more than an array holds.");
        }

        if (_ab.Length < length)
        {
            Release();
            _ab = length <= PoolLimit ? ArrayPool<double>.Shared.Rent((int)length) : new double[length];
        }

        if (_pivots.Length < n)
        {
            _pivots = new int[n];
        }

        _ab.AsSpan(0, (int)length).Clear();
    }

    /// <summary>The factors and pivots (for the tests).</summary>
    internal (double[] Band, int[] Pivots) Snapshot() => (_ab.AsSpan(0, Ld * Size).ToArray(), _pivots.AsSpan(0, Size).ToArray());

    /// <summary>
    /// Band storage up to this many values comes from the shared array pool (and goes back in <see cref="Release"/>):
    /// a fresh multi-megabyte array per solve (the 1-D bands at N = 10⁴ are 2.4 MB) costs zeroing and page faults and
    /// brings on gen-2 collections, which made the 1-D solve's time vary by half. Larger (2-D) bands, whose factorisation
    /// dwarfs their allocation, are allocated and left to the collector rather than kept in the pool.
    /// </summary>
    private const long PoolLimit = 1 << 22;

    /// <summary>Gives pooled storage back; the instance stays usable (the next <see cref="Reset"/> takes new storage).</summary>
    public void Release()
    {
        if (_ab.Length is > 0 and <= (int)PoolLimit)
        {
            ArrayPool<double>.Shared.Return(_ab);
        }

        _ab = [];
    }

    /// <summary>Adds <paramref name="value"/> to A[i, j]; |i − j| must be within the bandwidths.</summary>
    public void Add(int i, int j, double value) => _ab[(Lower + Upper + i - j) + ((long)j * Ld)] += value;

    /// <summary>Factors in place. Returns false when a pivot is exactly zero (singular to working precision).</summary>
    /// <remarks>
    /// The loops index through refs (no bounds checks, no span per column): on the 1-D bands (kl ≈ 9) the per-column
    /// overhead of spans and checked indexing was most of the factorisation's time. The operations and their order are
    /// those of <c>gbtf2</c>, as before. Every index stays inside the buffer: Reset sized it for (n, kl, ku).
    /// </remarks>
    public bool Factor()
    {
        int n = Size, kl = Lower, kv = Lower + Upper, ld = Ld;
        if (n == 0)
        {
            return true;
        }

        return kl >= VectorThreshold ? FactorBlocked() : FactorColumns();
    }

    /// <summary>The column-at-a-time factorisation (<c>gbtf2</c>); internal for the tests that compare it with
    /// <see cref="FactorBlocked"/>.</summary>
    internal bool FactorColumns()
    {
        int n = Size, kl = Lower, kv = Lower + Upper, ld = Ld;
        if (n == 0)
        {
            return true;
        }

        ref double ab = ref MemoryMarshal.GetArrayDataReference(_ab);
        ref int pivots = ref MemoryMarshal.GetArrayDataReference(_pivots);
        int ju = 0;
        for (int j = 0; j < n; j++)
        {
            int km = Math.Min(kl, n - 1 - j);
            ref double diagonal = ref Unsafe.Add(ref ab, kv + ((nint)j * ld)); // A[j, j]; A[j + t, j] follows it
            int jp = 0;
            double best = Math.Abs(diagonal);
            for (int t = 1; t <= km; t++)
            {
                double v = Math.Abs(Unsafe.Add(ref diagonal, t));
                if (v > best)
                {
                    best = v;
                    jp = t;
                }
            }

            Unsafe.Add(ref pivots, j) = j + jp;
            if (best == 0 || !double.IsFinite(best))
            {
                return false;
            }

            ju = Math.Max(ju, Math.Min(j + Upper + jp, n - 1));

            // A[j, c] sits at diagonal + (c − j)(ld − 1): one column right, one row up.
            int step = ld - 1;
            if (jp != 0)
            {
                for (int c = j; c <= ju; c++)
                {
                    ref double a = ref Unsafe.Add(ref diagonal, (nint)(c - j) * step);
                    ref double b = ref Unsafe.Add(ref a, jp);
                    (a, b) = (b, a);
                }
            }

            double inverse = 1 / diagonal;
            ref double multipliers = ref Unsafe.Add(ref diagonal, 1);
            Scale(ref multipliers, inverse, km);
            for (int c = j + 1; c <= ju; c++)
            {
                ref double pivotRow = ref Unsafe.Add(ref diagonal, (nint)(c - j) * step);
                double value = pivotRow;
                if (value != 0)
                {
                    Axpy(ref multipliers, -value, ref Unsafe.Add(ref pivotRow, 1), km);
                }
            }
        }

        return true;
    }

    /// <summary>Columns per block in <see cref="FactorBlocked"/>.</summary>
    private const int Block = 4;

    /// <summary>
    /// <see cref="Factor"/> for wide bands (the 2-D folded ordering, kl ≈ 4·min(N_x, N_y)), <see cref="Block"/> columns
    /// at a time: the block's columns are factored as in <c>gbtf2</c> among themselves, then the updates of all of them
    /// are applied to each later column in one pass over it (rank-4), so the trailing block, megabytes at 128², is
    /// streamed through the caches a quarter as often as by column-at-a-time <c>gbtf2</c>.
    /// </summary>
    /// <remarks>
    /// Same values as <see cref="FactorColumns"/>: every element receives the same operations in the same order,
    /// a ← (…(a + (−u_j)·l_j) + (−u_{j+1})·l_{j+1}…), unfused, as the column-at-a-time loop computes them. The block's
    /// row interchanges, which <c>gbtf2</c> interleaves with the updates, are applied first to the raw values of a later
    /// column, with each column's multipliers interchanged alike by the later pivots of the block (copies in
    /// <see cref="_swapped"/>; the stored L is untouched), which gives the same results; rows outside a column's
    /// multipliers get + (−u)·0, equal in value (only a zero's sign can differ).
    /// </remarks>
    internal bool FactorBlocked()
    {
        int n = Size, kl = Lower, kv = Lower + Upper, ld = Ld, step = ld - 1;
        int width = kl + Block; // T_k[t] ↔ row j0 + 1 + t, t < kl + Block − 1
        if (_swapped.Length < Block * width)
        {
            _swapped = new double[Block * width];
        }

        ref double ab = ref MemoryMarshal.GetArrayDataReference(_ab);
        ref int pivots = ref MemoryMarshal.GetArrayDataReference(_pivots);
        ref double swapped = ref MemoryMarshal.GetArrayDataReference(_swapped);
        Span<int> jpOf = stackalloc int[Block];
        Span<int> juOf = stackalloc int[Block];
        Span<int> kmOf = stackalloc int[Block];
        Span<double> u = stackalloc double[Block];
        Span<int> activeK = stackalloc int[Block];
        int ju = 0;
        for (int j0 = 0; j0 < n; j0 += Block)
        {
            int b = Math.Min(Block, n - j0), last = j0 + b - 1;
            ref double d0 = ref Unsafe.Add(ref ab, kv + ((nint)j0 * ld)); // A[j0, j0]

            // The block's columns, as in FactorColumns but with the interchanges and updates limited to the block.
            for (int k = 0; k < b; k++)
            {
                int j = j0 + k;
                int km = Math.Min(kl, n - 1 - j);
                ref double d = ref Unsafe.Add(ref d0, (nint)k * ld);
                int jp = Pivot(ref d, km, out double best);
                Unsafe.Add(ref pivots, j) = j + jp;
                if (best == 0 || !double.IsFinite(best))
                {
                    return false;
                }

                ju = Math.Max(ju, Math.Min(j + Upper + jp, n - 1));
                jpOf[k] = jp;
                juOf[k] = ju;
                kmOf[k] = km;
                int blockEnd = Math.Min(ju, last);
                if (jp != 0)
                {
                    for (int c = j; c <= blockEnd; c++)
                    {
                        ref double a = ref Unsafe.Add(ref d, (nint)(c - j) * step);
                        ref double z = ref Unsafe.Add(ref a, jp);
                        (a, z) = (z, a);
                    }
                }

                ref double l = ref Unsafe.Add(ref d, 1);
                Scale(ref l, 1 / d, km);
                for (int c = j + 1; c <= blockEnd; c++)
                {
                    ref double pivotRow = ref Unsafe.Add(ref d, (nint)(c - j) * step);
                    double value = pivotRow;
                    if (value != 0)
                    {
                        Axpy(ref l, -value, ref Unsafe.Add(ref pivotRow, 1), km);
                    }
                }
            }

            if (ju <= last)
            {
                continue;
            }

            // T_k: column j0 + k's multipliers on rows j0 + 1 …, interchanged by the block's later pivots.
            for (int k = 0; k < b; k++)
            {
                ref double t = ref Unsafe.Add(ref swapped, k * width);
                ref double l = ref Unsafe.Add(ref d0, ((nint)k * ld) + 1);
                for (int r = 0; r < width; r++)
                {
                    int offset = r - k; // row j0 + 1 + r is multiplier offset of column j0 + k
                    Unsafe.Add(ref t, r) = offset >= 0 && offset < kmOf[k] ? Unsafe.Add(ref l, offset) : 0;
                }

                for (int k2 = k + 1; k2 < b; k2++)
                {
                    if (jpOf[k2] != 0)
                    {
                        ref double a = ref Unsafe.Add(ref t, k2 - 1);
                        ref double z = ref Unsafe.Add(ref a, jpOf[k2]);
                        (a, z) = (z, a);
                    }
                }
            }

            // The later columns: raw interchanges, the block's rows j0 … last in turn, then the rows below in one pass.
            int kmLast = Math.Min(kl, n - 1 - last);
            for (int c = last + 1; c <= ju; c++)
            {
                ref double top = ref Unsafe.Add(ref d0, (nint)(c - j0) * step); // A[j0, c]
                for (int k = 0; k < b; k++)
                {
                    if (c <= juOf[k] && jpOf[k] != 0)
                    {
                        ref double a = ref Unsafe.Add(ref top, k);
                        ref double z = ref Unsafe.Add(ref a, jpOf[k]);
                        (a, z) = (z, a);
                    }
                }

                int active = 0;
                for (int r = 0; r < b; r++)
                {
                    ref double row = ref Unsafe.Add(ref top, r);
                    double value = row;
                    for (int k = 0; k < r; k++)
                    {
                        if (u[k] != 0)
                        {
                            value += -u[k] * Unsafe.Add(ref swapped, (k * width) + r - 1);
                        }
                    }

                    row = value;
                    u[r] = c <= juOf[r] ? value : 0;
                    if (u[r] != 0)
                    {
                        active++;
                    }
                }

                if (active == 0 || kmLast == 0)
                {
                    continue;
                }

                ref double below = ref Unsafe.Add(ref top, b);
                int count = 0;
                for (int k = 0; k < b; k++)
                {
                    if (u[k] != 0)
                    {
                        activeK[count] = k;
                        count++;
                    }
                }

                ref double x0 = ref Unsafe.Add(ref swapped, (activeK[0] * width) + b - 1);
                if (count == 4)
                {
                    Axpy4(ref x0, -u[0], ref Unsafe.Add(ref x0, width), -u[1], ref Unsafe.Add(ref x0, 2 * width), -u[2], ref Unsafe.Add(ref x0, 3 * width), -u[3], ref below, kmLast);
                }
                else if (count >= 2)
                {
                    Axpy2(ref x0, -u[activeK[0]], ref Unsafe.Add(ref swapped, (activeK[1] * width) + b - 1), -u[activeK[1]], ref below, kmLast);
                    if (count == 3)
                    {
                        Axpy(ref Unsafe.Add(ref swapped, (activeK[2] * width) + b - 1), -u[activeK[2]], ref below, kmLast);
                    }
                }
                else
                {
                    Axpy(ref x0, -u[activeK[0]], ref below, kmLast);
                }
            }
        }

        return true;
    }

    /// <summary>The offset of the largest |value| among diagonal[0 … km] (the first on ties), and that value.</summary>
    private static int Pivot(ref double diagonal, int km, out double best)
    {
        int jp = 0;
        best = Math.Abs(diagonal);
        for (int t = 1; t <= km; t++)
        {
            double v = Math.Abs(Unsafe.Add(ref diagonal, t));
            if (v > best)
            {
                best = v;
                jp = t;
            }
        }

        return jp;
    }

    /// <summary>y ← (y + a₁·x₁) + a₂·x₂ elementwise, unfused (the values of two <see cref="Axpy"/> calls in turn).</summary>
    private static void Axpy2(ref double x1, double a1, ref double x2, double a2, ref double y, int length)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<double> v1 = Vector512.Create(a1), v2 = Vector512.Create(a2);
            for (; i <= length - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                ref double yi = ref Unsafe.Add(ref y, i);
                Vector512<double> sum = Vector512.LoadUnsafe(ref yi) + (v1 * Vector512.LoadUnsafe(ref Unsafe.Add(ref x1, i)));
                (sum + (v2 * Vector512.LoadUnsafe(ref Unsafe.Add(ref x2, i)))).StoreUnsafe(ref yi);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> v1 = Vector256.Create(a1), v2 = Vector256.Create(a2);
            for (; i <= length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                ref double yi = ref Unsafe.Add(ref y, i);
                Vector256<double> sum = Vector256.LoadUnsafe(ref yi) + (v1 * Vector256.LoadUnsafe(ref Unsafe.Add(ref x1, i)));
                (sum + (v2 * Vector256.LoadUnsafe(ref Unsafe.Add(ref x2, i)))).StoreUnsafe(ref yi);
            }
        }

        for (; i < length; i++)
        {
            ref double yi = ref Unsafe.Add(ref y, i);
            double sum = yi + (a1 * Unsafe.Add(ref x1, i));
            yi = sum + (a2 * Unsafe.Add(ref x2, i));
        }
    }

    /// <summary>y ← (((y + a₁·x₁) + a₂·x₂) + a₃·x₃) + a₄·x₄ elementwise, unfused (four <see cref="Axpy"/> calls in turn).</summary>
    private static void Axpy4(ref double x1, double a1, ref double x2, double a2, ref double x3, double a3, ref double x4, double a4, ref double y, int length)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<double> v1 = Vector512.Create(a1), v2 = Vector512.Create(a2), v3 = Vector512.Create(a3), v4 = Vector512.Create(a4);
            for (; i <= length - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                ref double yi = ref Unsafe.Add(ref y, i);
                Vector512<double> sum = Vector512.LoadUnsafe(ref yi) + (v1 * Vector512.LoadUnsafe(ref Unsafe.Add(ref x1, i)));
                sum += v2 * Vector512.LoadUnsafe(ref Unsafe.Add(ref x2, i));
                sum += v3 * Vector512.LoadUnsafe(ref Unsafe.Add(ref x3, i));
                (sum + (v4 * Vector512.LoadUnsafe(ref Unsafe.Add(ref x4, i)))).StoreUnsafe(ref yi);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> v1 = Vector256.Create(a1), v2 = Vector256.Create(a2), v3 = Vector256.Create(a3), v4 = Vector256.Create(a4);
            for (; i <= length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                ref double yi = ref Unsafe.Add(ref y, i);
                Vector256<double> sum = Vector256.LoadUnsafe(ref yi) + (v1 * Vector256.LoadUnsafe(ref Unsafe.Add(ref x1, i)));
                sum += v2 * Vector256.LoadUnsafe(ref Unsafe.Add(ref x2, i));
                sum += v3 * Vector256.LoadUnsafe(ref Unsafe.Add(ref x3, i));
                (sum + (v4 * Vector256.LoadUnsafe(ref Unsafe.Add(ref x4, i)))).StoreUnsafe(ref yi);
            }
        }

        for (; i < length; i++)
        {
            ref double yi = ref Unsafe.Add(ref y, i);
            double sum = yi + (a1 * Unsafe.Add(ref x1, i));
            sum += a2 * Unsafe.Add(ref x2, i);
            sum += a3 * Unsafe.Add(ref x3, i);
            yi = sum + (a4 * Unsafe.Add(ref x4, i));
        }
    }

    /// <summary>Solves A x = b in place (after <see cref="Factor"/>).</summary>
    public void Solve(Span<double> b)
    {
        int n = Size, kl = Lower, kv = Lower + Upper, ld = Ld;
        if (n == 0)
        {
            return;
        }

        if (b.Length < n)
        {
            throw new ArgumentException($"b has {b.Length} values; the matrix has {n} rows.", nameof(b));
        }

        ref double ab = ref MemoryMarshal.GetArrayDataReference(_ab);
        ref int pivots = ref MemoryMarshal.GetArrayDataReference(_pivots);
        ref double x = ref MemoryMarshal.GetReference(b);
        for (int j = 0; j < n - 1; j++)
        {
            int km = Math.Min(kl, n - 1 - j);
            int l = Unsafe.Add(ref pivots, j);
            ref double bj = ref Unsafe.Add(ref x, j);
            if (l != j)
            {
                ref double bl = ref Unsafe.Add(ref x, l);
                (bl, bj) = (bj, bl);
            }

            double value = bj;
            if (value != 0)
            {
                Axpy(ref Unsafe.Add(ref ab, kv + 1 + ((nint)j * ld)), -value, ref Unsafe.Add(ref bj, 1), km);
            }
        }

        for (int j = n - 1; j >= 0; j--)
        {
            nint col = (nint)j * ld;
            ref double bj = ref Unsafe.Add(ref x, j);
            double xj = bj / Unsafe.Add(ref ab, kv + col);
            bj = xj;
            int top = Math.Max(0, j - kv);
            if (xj != 0 && j > top)
            {
                int count = j - top;
                Axpy(ref Unsafe.Add(ref ab, kv + top - j + col), -xj, ref Unsafe.Add(ref x, top), count);
            }
        }
    }

    /// <summary>Solves A x₁ = b₁ and A x₂ = b₂ in place in one pass over the factors (the band is read once instead of
    /// twice; each right-hand side gets exactly the operations of <see cref="Solve(Span{double})"/>).</summary>
    public void Solve(Span<double> b1, Span<double> b2)
    {
        int n = Size, kl = Lower, kv = Lower + Upper, ld = Ld;
        if (n == 0)
        {
            return;
        }

        if (b1.Length < n || b2.Length < n)
        {
            throw new ArgumentException($"b1 and b2 have {b1.Length} and {b2.Length} values; the matrix has {n} rows.");
        }

        ref double ab = ref MemoryMarshal.GetArrayDataReference(_ab);
        ref int pivots = ref MemoryMarshal.GetArrayDataReference(_pivots);
        ref double x1 = ref MemoryMarshal.GetReference(b1);
        ref double x2 = ref MemoryMarshal.GetReference(b2);
        for (int j = 0; j < n - 1; j++)
        {
            int km = Math.Min(kl, n - 1 - j);
            int l = Unsafe.Add(ref pivots, j);
            ref double b1j = ref Unsafe.Add(ref x1, j);
            ref double b2j = ref Unsafe.Add(ref x2, j);
            if (l != j)
            {
                ref double b1l = ref Unsafe.Add(ref x1, l);
                ref double b2l = ref Unsafe.Add(ref x2, l);
                (b1l, b1j) = (b1j, b1l);
                (b2l, b2j) = (b2j, b2l);
            }

            ref double multipliers = ref Unsafe.Add(ref ab, kv + 1 + ((nint)j * ld));
            double value1 = b1j, value2 = b2j;
            if (value1 != 0)
            {
                Axpy(ref multipliers, -value1, ref Unsafe.Add(ref b1j, 1), km);
            }

            if (value2 != 0)
            {
                Axpy(ref multipliers, -value2, ref Unsafe.Add(ref b2j, 1), km);
            }
        }

        for (int j = n - 1; j >= 0; j--)
        {
            nint col = (nint)j * ld;
            double diagonal = Unsafe.Add(ref ab, kv + col);
            ref double b1j = ref Unsafe.Add(ref x1, j);
            ref double b2j = ref Unsafe.Add(ref x2, j);
            double xj1 = b1j / diagonal, xj2 = b2j / diagonal;
            b1j = xj1;
            b2j = xj2;
            int top = Math.Max(0, j - kv);
            if (j > top)
            {
                int count = j - top;
                ref double column = ref Unsafe.Add(ref ab, kv + top - j + col);
                if (xj1 != 0)
                {
                    Axpy(ref column, -xj1, ref Unsafe.Add(ref x1, top), count);
                }

                if (xj2 != 0)
                {
                    Axpy(ref column, -xj2, ref Unsafe.Add(ref x2, top), count);
                }
            }
        }
    }

    /// <summary>The length from which TensorPrimitives' vectorised loop beats a scalar loop (its per-call overhead
    /// dominates on the 1-D bands, 5–10 values long).</summary>
    private const int VectorThreshold = 16;

    /// <summary>y += a·x over <paramref name="length"/> values (x and y do not overlap). Both branches compute
    /// y + (a·x) unfused, so the threshold does not change the values.</summary>
    private static void Axpy(ref double x, double a, ref double y, int length)
    {
        if (length >= VectorThreshold)
        {
            Span<double> ys = MemoryMarshal.CreateSpan(ref y, length);
            TensorPrimitives.MultiplyAdd(MemoryMarshal.CreateReadOnlySpan(ref x, length), a, ys, ys);
            return;
        }

        for (int i = 0; i < length; i++)
        {
            Unsafe.Add(ref y, i) += a * Unsafe.Add(ref x, i);
        }
    }

    /// <summary>x *= a over <paramref name="length"/> values.</summary>
    private static void Scale(ref double x, double a, int length)
    {
        if (length >= VectorThreshold)
        {
            Span<double> xs = MemoryMarshal.CreateSpan(ref x, length);
            TensorPrimitives.Multiply(xs, a, xs);
            return;
        }

        for (int i = 0; i < length; i++)
        {
            Unsafe.Add(ref x, i) *= a;
        }
    }
}

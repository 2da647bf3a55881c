using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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

    public int Size { get; private set; }

    public int Lower { get; private set; }

    public int Upper { get; private set; }

    private int Ld => (2 * Lower) + Upper + 1;

    /// <summary>Allocates the storage for an n × n matrix with bandwidths up to (kl, ku) now, so that <see cref="Reset"/>
    /// does not reallocate as the measured bandwidths grow over Newton's steps (each growth was a fresh large-object
    /// array, zeroed and page-faulted, which cost more than the factorisation at N = 10⁴, 1-D).</summary>
    public void Reserve(int n, int kl, int ku)
    {
        long length = (long)((2 * kl) + ku + 1) * n;
        if (length <= Array.MaxLength && _ab.Length < length)
        {
            _ab = new double[length];
        }

        if (_pivots.Length < n)
        {
            _pivots = new int[n];
        }
    }

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
            _ab = new double[length];
        }

        if (_pivots.Length < n)
        {
            _pivots = new int[n];
        }

        _ab.AsSpan(0, (int)length).Clear();
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

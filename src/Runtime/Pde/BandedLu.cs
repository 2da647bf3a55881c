using System.Numerics.Tensors;

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
    public bool Factor()
    {
        int n = Size, kl = Lower, kv = Lower + Upper, ld = Ld;
        double[] ab = _ab;
        int ju = 0;
        for (int j = 0; j < n; j++)
        {
            int km = Math.Min(kl, n - 1 - j);
            long colJ = (long)j * ld;
            int jp = 0;
            double best = Math.Abs(ab[kv + colJ]);
            for (int t = 1; t <= km; t++)
            {
                double v = Math.Abs(ab[kv + t + colJ]);
                if (v > best)
                {
                    best = v;
                    jp = t;
                }
            }

            _pivots[j] = j + jp;
            if (best == 0 || !double.IsFinite(best))
            {
                return false;
            }

            ju = Math.Max(ju, Math.Min(j + Upper + jp, n - 1));
            if (jp != 0)
            {
                for (int c = j; c <= ju; c++)
                {
                    long col = (long)c * ld;
                    long a = kv + j - c + col, b = kv + j + jp - c + col;
                    (ab[a], ab[b]) = (ab[b], ab[a]);
                }
            }

            double inverse = 1 / ab[kv + colJ];
            Span<double> multipliers = ab.AsSpan((int)(kv + 1 + colJ), km);
            Scale(multipliers, inverse);
            for (int c = j + 1; c <= ju; c++)
            {
                long col = (long)c * ld;
                double pivotRow = ab[kv + j - c + col];
                if (pivotRow != 0)
                {
                    Axpy(multipliers, -pivotRow, ab.AsSpan((int)(kv + j + 1 - c + col), km));
                }
            }
        }

        return true;
    }

    /// <summary>Solves A x = b in place (after <see cref="Factor"/>).</summary>
    public void Solve(Span<double> b)
    {
        int n = Size, kl = Lower, kv = Lower + Upper, ld = Ld;
        double[] ab = _ab;
        for (int j = 0; j < n - 1; j++)
        {
            int km = Math.Min(kl, n - 1 - j);
            int l = _pivots[j];
            if (l != j)
            {
                (b[l], b[j]) = (b[j], b[l]);
            }

            double bj = b[j];
            if (bj != 0)
            {
                Axpy(ab.AsSpan((int)(kv + 1 + ((long)j * ld)), km), -bj, b.Slice(j + 1, km));
            }
        }

        for (int j = n - 1; j >= 0; j--)
        {
            long col = (long)j * ld;
            double xj = b[j] / ab[kv + col];
            b[j] = xj;
            int top = Math.Max(0, j - kv);
            if (xj != 0 && j > top)
            {
                int count = j - top;
                Axpy(ab.AsSpan((int)(kv + top - j + col), count), -xj, b.Slice(top, count));
            }
        }
    }

    /// <summary>The length from which TensorPrimitives' vectorised loop beats a scalar loop (its per-call overhead
    /// dominates on the 1-D bands, 5–10 values long).</summary>
    private const int VectorThreshold = 16;

    /// <summary>y += a·x.</summary>
    private static void Axpy(ReadOnlySpan<double> x, double a, Span<double> y)
    {
        if (x.Length >= VectorThreshold)
        {
            TensorPrimitives.MultiplyAdd(x, a, y, y);
            return;
        }

        for (int i = 0; i < x.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    /// <summary>x *= a.</summary>
    private static void Scale(Span<double> x, double a)
    {
        if (x.Length >= VectorThreshold)
        {
            TensorPrimitives.Multiply(x, a, x);
            return;
        }

        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= a;
        }
    }
}

using System.Runtime.CompilerServices;

namespace MeanField.Pde;

/// <summary>
/// A factorisation of the 2n × 2n block A of the ergodic Jacobian that <see cref="BorderedSolver"/> borders: rows and
/// columns &lt; size of the Jacobian, with the replaced FP row (pinRow) taken as the unit row e_pinColumn. Vectors are in
/// the Jacobian's numbering (interleaved U_g, M_g); each implementation permutes internally.
/// </summary>
internal interface IBlockFactorisation
{
    /// <summary>Factors A; false when it is singular to working precision (a zero or non-finite pivot).</summary>
    bool Factor(CsrMatrix jacobian, int size, int pinRow, int pinColumn);

    /// <summary>Solves A x = b in place.</summary>
    void Solve(Span<double> b);

    /// <summary>Solves A x = b for two right-hand sides in place.</summary>
    void Solve(Span<double> b1, Span<double> b2);

    /// <summary>Gives the storage back (the solve is over).</summary>
    void Release();
}

/// <summary>Which factorisation of A a <see cref="BorderedSolver"/> uses (tests and benchmarks pin one).</summary>
internal enum BlockSolver
{
    /// <summary>Nested dissection for 2-D grids of at least <see cref="BorderedSolver.SparseNodes"/> nodes, else the band.</summary>
    Automatic,

    /// <summary><see cref="FoldedBandLu"/>.</summary>
    Band,

    /// <summary><see cref="NestedDissectionLu"/>.</summary>
    NestedDissection,
}

/// <summary>
/// Solves the Newton system J δ = r of <see cref="ErgodicSystem{TGame}"/> (specs/mfg.md §3.1): one factorisation of
/// the 2n × 2n block A, bordered for the Λ column and the two constraint rows.
/// </summary>
/// <remarks>
/// <para>Why bordering: with the unknowns interleaved (U_g, M_g) the Jacobian is sparse except for the dense Λ column
/// and the two dense constraint rows (h^dΣM = 1, ΣU = 0). The 2n rows of A are the HJB rows, the FP rows and, in the
/// slot of the replaced FP row of node q, a pin row δU_q − τ = 0 with an extra scalar unknown τ. That block A is
/// nonsingular for a monotone coupling and Ĥ convex in p (the discrete Lasry–Lions argument, §3), unlike the U–M
/// block with all FP rows (U + const and ΣFP ≡ 0 make that one singular). With border columns B = (Λ column, τ
/// column) and border rows C = (the two constraints): A y + B z = r_b, C y = r_c, so z = (C A⁻¹B)⁻¹ (C A⁻¹r_b − r_c),
/// y = A⁻¹r_b − A⁻¹B z: one factorisation and three solves per Newton step.</para>
/// <para>A is factored by <see cref="FoldedBandLu"/> (1-D, and small 2-D grids) or <see cref="NestedDissectionLu"/>
/// (2-D grids of at least <see cref="SparseNodes"/> nodes): <see cref="For"/> chooses.</para>
/// </remarks>
internal sealed class BorderedSolver(PeriodicGrid grid, int replacedNode, IBlockFactorisation inner)
{
    /// <summary>
    /// 2-D grids with at least this many nodes (16 × 16) use the nested-dissection LU. One factorisation of the
    /// reference game's Jacobian, warm, on the shared 2-core development machine (median of 9): 16² band 0.5 ms,
    /// nested dissection 0.3 ms; 24² 1.8 vs 0.9; 32² 4.8 vs 1.8 (the first factorisation, with the analysis, costs
    /// about the same for both there); the band's O(N⁴) grows away above. Below 16², with few Newton steps of
    /// fractions of a millisecond, the band LU stays (and keeps the 2-D band path in use).
    /// </summary>
    public const int SparseNodes = 16 * 16;

    private readonly int _n = grid.NodeCount;
    private readonly int _q = replacedNode;
    private readonly double[] _y0 = new double[2 * grid.NodeCount];
    private readonly double[] _y1 = new double[2 * grid.NodeCount];
    private readonly double[] _y2 = new double[2 * grid.NodeCount];
    private double _s00, _s01, _s10, _s11;
    private CsrMatrix? _mapped;
    private int[] _lambdaEntry = [];

    /// <summary>The factorisation of A in use.</summary>
    internal IBlockFactorisation Inner { get; } = inner;

    /// <summary>The solver for <paramref name="grid"/>: the nested-dissection LU for 2-D grids of at least
    /// <see cref="SparseNodes"/> nodes, else the folded band LU.</summary>
    public static BorderedSolver For(PeriodicGrid grid, int replacedNode, BlockSolver choice = BlockSolver.Automatic) =>
        new(grid, replacedNode, choice == BlockSolver.NestedDissection || (choice == BlockSolver.Automatic && grid.Dimension == 2 && grid.NodeCount >= SparseNodes)
            ? new NestedDissectionLu(grid)
            : new FoldedBandLu(grid));

    /// <summary>Factors the Jacobian; false when it is singular to working precision.</summary>
    public bool Factor(CsrMatrix jacobian)
    {
        int n = _n, massRow = (2 * _q) + 1;
        MapEntries(jacobian);
        if (!Inner.Factor(jacobian, 2 * n, massRow, 2 * _q))
        {
            return false;
        }

        // Y = A⁻¹B: B's first column is the Λ column of J (its HJB rows), the second −1 at the pin row.
        double[] values = jacobian.Values;
        Array.Clear(_y1);
        Array.Clear(_y2);
        for (int g = 0; g < n; g++)
        {
            _y1[2 * g] = values[_lambdaEntry[g]];
        }

        _y2[massRow] = -1;
        Inner.Solve(_y1, _y2);

        // S = C Y; C's rows are the mass row and the ΣU row of J.
        (_s00, _s10) = ApplyConstraints(jacobian, _y1);
        (_s01, _s11) = ApplyConstraints(jacobian, _y2);
        double det = (_s00 * _s11) - (_s01 * _s10);
        return det != 0 && double.IsFinite(det);
    }

    /// <summary>Gives the factor storage back; call when the solve is over.</summary>
    public void Release() => Inner.Release();

    /// <summary>Solves J δ = r (after <see cref="Factor"/>); <paramref name="rhs"/> and <paramref name="delta"/> have 2n + 1 values.</summary>
    public void Solve(CsrMatrix jacobian, ReadOnlySpan<double> rhs, Span<double> delta)
    {
        int n = _n, massRow = (2 * _q) + 1;
        rhs[..(2 * n)].CopyTo(_y0);
        _y0[massRow] = 0; // the pin row's right-hand side
        Inner.Solve(_y0);
        (double c0, double c1) = ApplyConstraints(jacobian, _y0);
        double t0 = c0 - rhs[massRow], t1 = c1 - rhs[2 * n];
        double det = (_s00 * _s11) - (_s01 * _s10);
        double z0 = ((_s11 * t0) - (_s01 * t1)) / det;
        double z1 = ((_s00 * t1) - (_s10 * t0)) / det;
        for (int r = 0; r < 2 * n; r++)
        {
            delta[r] = _y0[r] - (_y1[r] * z0) - (_y2[r] * z1);
        }

        delta[2 * n] = z0;
    }

    /// <summary>The position of each HJB row's Λ entry (once per pattern).</summary>
    private void MapEntries(CsrMatrix jacobian)
    {
        if (ReferenceEquals(jacobian, _mapped))
        {
            return;
        }

        _lambdaEntry = new int[_n];
        for (int g = 0; g < _n; g++)
        {
            _lambdaEntry[g] = jacobian.Find(2 * g, 2 * _n);
        }

        _mapped = jacobian;
    }

    /// <summary>(mass row · y, ΣU row · y).</summary>
    private (double Mass, double SumU) ApplyConstraints(CsrMatrix jacobian, double[] y)
    {
        int n = _n;
        int massStart = jacobian.RowStart[(2 * _q) + 1], sumStart = jacobian.RowStart[2 * n];
        double mass = 0, sum = 0;
        for (int g = 0; g < n; g++)
        {
            sum += jacobian.Values[sumStart + g] * y[2 * g];
            mass += jacobian.Values[massStart + g] * y[(2 * g) + 1];
        }

        return (mass, sum);
    }
}

/// <summary>
/// The band LU of A (<see cref="IBlockFactorisation"/>) with the folded node ordering (<see cref="FoldedOrdering"/>):
/// with the unknowns interleaved, A is banded except for the periodic wrap-around (node 0 couples with node N − 1);
/// the folded order 0, N−1, 1, N−2, 2, … of the folded axis (x in 1-D, the longer axis in 2-D, the shorter one running
/// fastest) puts circle neighbours, 0 and N − 1 included, at most 2 positions apart: a true band (half-bandwidth ≤ 9
/// unknowns in 1-D, ≈ 4·min(N_x, N_y) in 2-D), no corner correction needed. The bandwidths are measured from the
/// nonzero values of each Jacobian (a separable Ĥ has no cross terms, so the FP rows couple U only within one node of
/// distance); the LU buffers grow only when a wider band appears.
/// </summary>
internal sealed class FoldedBandLu(PeriodicGrid grid) : IBlockFactorisation
{
    private readonly int[] _position = FoldedOrdering.Positions(grid); // node → folded position
    private readonly BandedLu _lu = new();
    private readonly double[] _work1 = new double[2 * grid.NodeCount];
    private readonly double[] _work2 = new double[2 * grid.NodeCount];
    private CsrMatrix? _mapped;
    private int[] _bandRow = [];
    private int[] _bandColumn = [];

    public bool Factor(CsrMatrix jacobian, int size, int pinRow, int pinColumn)
    {
        MapEntries(jacobian, size, pinRow);
        int[] bandRow = _bandRow, bandColumn = _bandColumn;
        double[] values = jacobian.Values;
        int kl = 0, ku = 0;
        for (int i = 0; i < values.Length; i++)
        {
            int br = bandRow[i];
            if (br >= 0 && values[i] != 0)
            {
                int bc = bandColumn[i];
                kl = Math.Max(kl, br - bc);
                ku = Math.Max(ku, bc - br);
            }
        }

        int pinBandRow = BandIndex(pinRow), pinBandColumn = BandIndex(pinColumn);
        kl = Math.Max(kl, pinBandRow - pinBandColumn);
        ku = Math.Max(ku, pinBandColumn - pinBandRow);
        _lu.Reset(size, kl, ku);
        for (int i = 0; i < values.Length; i++)
        {
            int br = bandRow[i];
            if (br >= 0 && values[i] != 0)
            {
                _lu.Add(br, bandColumn[i], values[i]);
            }
        }

        _lu.Add(pinBandRow, pinBandColumn, 1);
        return _lu.Factor();
    }

    public void Solve(Span<double> b)
    {
        ToBand(b, _work1);
        _lu.Solve(_work1.AsSpan(0, b.Length));
        FromBand(_work1, b);
    }

    public void Solve(Span<double> b1, Span<double> b2)
    {
        ToBand(b1, _work1);
        ToBand(b2, _work2);
        _lu.Solve(_work1.AsSpan(0, b1.Length), _work2.AsSpan(0, b2.Length));
        FromBand(_work1, b1);
        FromBand(_work2, b2);
    }

    /// <summary>Gives the band storage back to the pool (<see cref="BandedLu.Release"/>).</summary>
    public void Release() => _lu.Release();

    private void ToBand(ReadOnlySpan<double> x, double[] band)
    {
        for (int r = 0; r < x.Length; r++)
        {
            band[BandIndex(r)] = x[r];
        }
    }

    private void FromBand(double[] band, Span<double> x)
    {
        for (int r = 0; r < x.Length; r++)
        {
            x[r] = band[BandIndex(r)];
        }
    }

    /// <summary>
    /// The band row and column of every entry of the Jacobian's (fixed) pattern, −1 for the entries the band leaves out
    /// (the pin row's original entries, columns and rows ≥ size): computed once per pattern, so the copy into the band
    /// is one pass over the values (it cost more than the band LU itself at N = 10⁴, 1-D).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per solve: tier-0 code would stay
    private void MapEntries(CsrMatrix jacobian, int size, int pinRow)
    {
        if (ReferenceEquals(jacobian, _mapped))
        {
            return;
        }

        int count = jacobian.RowStart[jacobian.Size];
        _bandRow = new int[count];
        _bandColumn = new int[count];
        Array.Fill(_bandRow, -1);
        for (int r = 0; r < size; r++)
        {
            for (int i = jacobian.RowStart[r]; i < jacobian.RowStart[r + 1]; i++)
            {
                int c = jacobian.Columns[i];
                if (c < size && r != pinRow)
                {
                    _bandRow[i] = BandIndex(r);
                    _bandColumn[i] = BandIndex(c);
                }
            }
        }

        _mapped = jacobian;
    }

    /// <summary>The band index of unknown (or row) r: U_g, HJB_g → 2·pos(g); M_g, FP_g → 2·pos(g) + 1.</summary>
    private int BandIndex(int r) => (2 * _position[r >> 1]) + (r & 1);
}

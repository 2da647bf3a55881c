using System.Runtime.CompilerServices;

namespace MeanField.Pde;

/// <summary>
/// Solves the Newton system J δ = r of <see cref="ErgodicSystem{TGame}"/> (specs/mfg.md §3.1) with one banded LU.
/// </summary>
/// <remarks>
/// <para>Why not a plain banded LU: with the unknowns interleaved (U_g, M_g) the Jacobian is banded except for
/// (a) the periodic wrap-around (node 0 couples with node N − 1), (b) the dense Λ column and (c) the two dense
/// constraint rows (h^dΣM = 1, ΣU = 0). MathNet.Numerics has no sparse direct solver, and a general sparse LU is more
/// code than this structure needs.</para>
/// <para>(a) <b>Folded ordering</b> (<see cref="FoldedOrdering"/>): the nodes of the folded axis (x in 1-D, the longer
/// axis in 2-D, the shorter one running fastest) are placed in the order 0, N−1, 1, N−2, 2, …, so circle neighbours, 0
/// and N − 1 included, are at most 2 positions apart: a true band (half-bandwidth ≤ 9 unknowns in 1-D,
/// ≈ 4·min(N_x, N_y) in 2-D), no corner correction needed.</para>
/// <para>(b), (c) <b>Bordering</b>: the 2n band rows are the HJB rows, the FP rows and, in the slot of the replaced FP
/// row of node q, a pin row δU_q − τ = 0 with an extra scalar unknown τ. That block A is nonsingular for a monotone
/// coupling and Ĥ convex in p (the discrete Lasry–Lions argument, §3), unlike the U–M block with all FP rows
/// (U + const and ΣFP ≡ 0 make that one singular). With border columns B = (Λ column, τ column) and border rows C =
/// (the two constraints): A y + B z = r_b, C y = r_c, so z = (C A⁻¹B)⁻¹ (C A⁻¹r_b − r_c), y = A⁻¹r_b − A⁻¹B z:
/// one factorisation and three band solves per Newton step.</para>
/// <para>The bandwidths are measured from the nonzero values of each Jacobian (a separable Ĥ has no cross terms, so the
/// FP rows couple U only within one node of distance); the LU buffers grow only when a wider band appears.</para>
/// </remarks>
internal sealed class BorderedBandSolver
{
    private readonly int _n;        // nodes
    private readonly int _q;        // the node of the pin row
    private readonly int[] _position; // node → folded position
    private readonly BandedLu _lu = new();
    private readonly double[] _y0;
    private readonly double[] _y1;
    private readonly double[] _y2;
    private double _s00, _s01, _s10, _s11;
    private CsrMatrix? _mapped;     // the Jacobian whose pattern the maps below describe
    private int[] _bandRow = [];
    private int[] _bandColumn = [];
    private int[] _lambdaEntry = [];

    public BorderedBandSolver(PeriodicGrid grid, int replacedNode)
    {
        _n = grid.NodeCount;
        _q = replacedNode;
        _position = FoldedOrdering.Positions(grid);
        _y0 = new double[2 * _n];
        _y1 = new double[2 * _n];
        _y2 = new double[2 * _n];
    }

    /// <summary>Factors the Jacobian; false when it is singular to working precision.</summary>
    public bool Factor(CsrMatrix jacobian)
    {
        int n = _n, massRow = (2 * _q) + 1;
        MapEntries(jacobian);
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

        int pinRow = BandIndex(massRow), pinColumn = BandIndex(2 * _q);
        kl = Math.Max(kl, pinRow - pinColumn);
        ku = Math.Max(ku, pinColumn - pinRow);

        _lu.Reset(2 * n, kl, ku);
        for (int i = 0; i < values.Length; i++)
        {
            int br = bandRow[i];
            if (br >= 0 && values[i] != 0)
            {
                _lu.Add(br, bandColumn[i], values[i]);
            }
        }

        _lu.Add(pinRow, pinColumn, 1);
        if (!_lu.Factor())
        {
            return false;
        }

        // Y = A⁻¹B: B's first column is the Λ column of J (its HJB rows), the second −1 at the pin row.
        Array.Clear(_y1);
        Array.Clear(_y2);
        for (int g = 0; g < n; g++)
        {
            _y1[BandIndex(2 * g)] = values[_lambdaEntry[g]];
        }

        _y2[pinRow] = -1;
        _lu.Solve(_y1, _y2);

        // S = C Y; C's rows are the mass row and the ΣU row of J.
        (_s00, _s10) = ApplyConstraints(jacobian, _y1);
        (_s01, _s11) = ApplyConstraints(jacobian, _y2);
        double det = (_s00 * _s11) - (_s01 * _s10);
        return det != 0 && double.IsFinite(det);
    }

    /// <summary>Gives the band storage back to the pool (<see cref="BandedLu.Release"/>); call when the solve is over.</summary>
    public void Release() => _lu.Release();

    /// <summary>Solves J δ = r (after <see cref="Factor"/>); <paramref name="rhs"/> and <paramref name="delta"/> have 2n + 1 values.</summary>
    public void Solve(CsrMatrix jacobian, ReadOnlySpan<double> rhs, Span<double> delta)
    {
        int n = _n, massRow = (2 * _q) + 1;
        for (int r = 0; r < 2 * n; r++)
        {
            _y0[BandIndex(r)] = r == massRow ? 0 : rhs[r]; // the pin row's right-hand side is 0
        }

        _lu.Solve(_y0);
        (double c0, double c1) = ApplyConstraints(jacobian, _y0);
        double t0 = c0 - rhs[massRow], t1 = c1 - rhs[2 * n];
        double det = (_s00 * _s11) - (_s01 * _s10);
        double z0 = ((_s11 * t0) - (_s01 * t1)) / det;
        double z1 = ((_s00 * t1) - (_s10 * t0)) / det;
        for (int r = 0; r < 2 * n; r++)
        {
            int b = BandIndex(r);
            delta[r] = _y0[b] - (_y1[b] * z0) - (_y2[b] * z1);
        }

        delta[2 * n] = z0;
    }

    /// <summary>
    /// The band row and column of every entry of the Jacobian's (fixed) pattern, −1 for the entries the band leaves out
    /// (the mass row, the Λ column, the ΣU row), and the position of each HJB row's Λ entry: computed once per pattern,
    /// so the copy into the band is one pass over the values (it cost more than the band LU itself at N = 10⁴, 1-D).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per solve: tier-0 code would stay
    private void MapEntries(CsrMatrix jacobian)
    {
        if (ReferenceEquals(jacobian, _mapped))
        {
            return;
        }

        int n = _n, lambda = 2 * n, massRow = (2 * _q) + 1;
        int count = jacobian.RowStart[jacobian.Size];
        _bandRow = new int[count];
        _bandColumn = new int[count];
        _lambdaEntry = new int[n];
        Array.Fill(_bandRow, -1);
        for (int r = 0; r < 2 * n; r++)
        {
            for (int i = jacobian.RowStart[r]; i < jacobian.RowStart[r + 1]; i++)
            {
                int c = jacobian.Columns[i];
                if (c == lambda)
                {
                    if ((r & 1) == 0)
                    {
                        _lambdaEntry[r >> 1] = i;
                    }

                    continue;
                }

                if (r != massRow)
                {
                    _bandRow[i] = BandIndex(r);
                    _bandColumn[i] = BandIndex(c);
                }
            }
        }

        _mapped = jacobian;
    }

    /// <summary>The band index of unknown (or row) r &lt; 2n: U_g, HJB_g → 2·pos(g); M_g, FP_g → 2·pos(g) + 1.</summary>
    private int BandIndex(int r) => (2 * _position[r >> 1]) + (r & 1);

    /// <summary>(mass row · y, ΣU row · y) for y in band order.</summary>
    private (double Mass, double SumU) ApplyConstraints(CsrMatrix jacobian, double[] y)
    {
        int n = _n;
        int massStart = jacobian.RowStart[(2 * _q) + 1], sumStart = jacobian.RowStart[2 * n];
        double mass = 0, sum = 0;
        for (int g = 0; g < n; g++)
        {
            int b = 2 * _position[g];
            sum += jacobian.Values[sumStart + g] * y[b];
            mass += jacobian.Values[massStart + g] * y[b + 1];
        }

        return (mass, sum);
    }
}

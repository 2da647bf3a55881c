namespace MeanField.Pde;

/// <summary>
/// The discrete ergodic MFG system of specs/mfg.md §2.3 for a game <typeparamref name="TGame"/> on a
/// <see cref="PeriodicGrid"/>: the residual R(x) and its exact sparse Jacobian (§2.4), with the interleaved layout
/// x = (U_0, M_0, U_1, M_1, …, Λ), R = (HJB_0, FP_0, …, HJB_{n−1}, h^dΣM − 1, ΣU). The Fokker–Planck rows are
/// assembled as the adjoint of the linearised HJB rows (scatter of M_o times the upwind weights of node o).
/// Not thread-safe (scratch buffers); allocation-free after construction.
/// </summary>
internal sealed class ErgodicSystem<TGame> where TGame : struct, IGameModel<TGame>
{
    private readonly UpwindStencil<TGame> _stencil;
    private readonly int _n;
    private readonly int _q;

    public ErgodicSystem(PeriodicGrid grid)
    {
        Grid = grid;
        _stencil = new UpwindStencil<TGame>(grid);
        _n = grid.NodeCount;
        _q = _n - 1;
        Jacobian = new CsrMatrix(Size, Pattern());
    }

    public PeriodicGrid Grid { get; }

    /// <summary>Unknowns and equations: 2n + 1.</summary>
    public int Size => (2 * _n) + 1;

    /// <summary>The node whose FP row is replaced by the mass constraint (the last).</summary>
    public int ReplacedNode => _q;

    /// <summary>The Jacobian, valid after <see cref="Assemble"/> with a Jacobian requested.</summary>
    public CsrMatrix Jacobian { get; }

    /// <summary>R(x) into <paramref name="residual"/>; with <paramref name="withJacobian"/>, also <see cref="Jacobian"/>.</summary>
    public void Assemble(ReadOnlySpan<double> x, Span<double> residual, bool withJacobian)
    {
        UpwindStencil<TGame> stencil = _stencil;
        int n = _n, s = stencil.Slots;
        double nu = stencil.Viscosity, lambda = x[2 * n];
        ReadOnlySpan<double> um = x[..(2 * n)];
        residual.Clear();
        if (withJacobian)
        {
            Array.Clear(Jacobian.Values);
        }

        for (int o = 0; o < n; o++)
        {
            double mo = um[(2 * o) + 1];
            double value = stencil.Evaluate(o, um, mo, withJacobian, out double lapU, out double lapM);
            ReadOnlySpan<int> st = stencil.Stencil(o);
            residual[2 * o] = (-nu * lapU) + value + lambda;
            if (o != _q)
            {
                residual[(2 * o) + 1] += -nu * lapM;
            }

            for (int t = 0; t < s; t++)
            {
                if (st[t] != _q)
                {
                    residual[(2 * st[t]) + 1] += mo * stencil.Weights[t];
                }
            }

            if (withJacobian)
            {
                AddJacobianOfNode(o, st, mo);
            }
        }

        double mass = 0, sumU = 0;
        for (int g = 0; g < n; g++)
        {
            sumU += x[2 * g];
            mass += x[(2 * g) + 1];
        }

        residual[(2 * _q) + 1] = (Grid.CellVolume * mass) - 1;
        residual[2 * n] = sumU;
        if (withJacobian)
        {
            CsrMatrix j = Jacobian;
            int start = j.RowStart[(2 * _q) + 1];
            for (int g = 0; g < n; g++)
            {
                j.Values[start + g] = Grid.CellVolume; // columns 2g + 1, sorted
            }

            start = j.RowStart[2 * n];
            for (int g = 0; g < n; g++)
            {
                j.Values[start + g] = 1; // columns 2g
            }
        }
    }

    private void AddJacobianOfNode(int o, ReadOnlySpan<int> st, double mo)
    {
        UpwindStencil<TGame> stencil = _stencil;
        int s = st.Length, n = _n;
        CsrMatrix j = Jacobian;
        int hjb = 2 * o;

        // HJB_o: −ν Δ_h + upwind weights in U; ∂Ĥ/∂m in M_o; 1 in Λ.
        j.Add(hjb, 2 * o, stencil.DiffusionDiagonal + stencil.Weights[0]);
        for (int t = 1; t < s; t++)
        {
            j.Add(hjb, 2 * st[t], stencil.DiffusionOffDiagonal(t) + stencil.Weights[t]);
        }

        j.Add(hjb, (2 * o) + 1, stencil.Gradient[2 * stencil.Dimension]);
        j.Add(hjb, 2 * n, 1);

        // FP rows: −ν Δ_h M (row o) and the scatter of M_o w_s (rows of the stencil nodes).
        if (o != _q)
        {
            j.Add((2 * o) + 1, (2 * o) + 1, stencil.DiffusionDiagonal);
            for (int t = 1; t < s; t++)
            {
                j.Add((2 * o) + 1, (2 * st[t]) + 1, stencil.DiffusionOffDiagonal(t));
            }
        }

        for (int a = 0; a < s; a++)
        {
            if (st[a] == _q)
            {
                continue;
            }

            int row = (2 * st[a]) + 1;
            j.Add(row, (2 * o) + 1, stencil.Weights[a] + (mo * stencil.PM[a]));
            for (int b = 0; b < s; b++)
            {
                double v = stencil.PP[(a * s) + b];
                if (v != 0)
                {
                    j.Add(row, 2 * st[b], mo * v);
                }
            }
        }
    }

    private List<int>[] Pattern()
    {
        int n = _n;
        var rows = new List<int>[Size];
        for (int r = 0; r < Size; r++)
        {
            rows[r] = [];
        }

        for (int o = 0; o < n; o++)
        {
            ReadOnlySpan<int> st = _stencil.Stencil(o);
            List<int> hjb = rows[2 * o];
            foreach (int t in st)
            {
                hjb.Add(2 * t);
            }

            hjb.Add((2 * o) + 1);
            hjb.Add(2 * n);
            foreach (int a in st)
            {
                if (a == _q)
                {
                    continue;
                }

                List<int> fp = rows[(2 * a) + 1];
                fp.Add((2 * o) + 1); // M_o (scatter) — also covers −ν Δ_h M, whose stencil is the same set
                foreach (int b in st)
                {
                    fp.Add(2 * b);
                }
            }
        }

        for (int g = 0; g < n; g++)
        {
            rows[(2 * _q) + 1].Add((2 * g) + 1);
            rows[2 * n].Add(2 * g);
        }

        return rows;
    }
}

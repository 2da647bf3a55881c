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
    private readonly int _d;
    private readonly int _n;
    private readonly int _q;
    private readonly double _nu;
    private readonly double[] _h;
    private readonly double[] _positions;   // n × d
    private readonly int[] _stencil;        // n × (1 + 2d): o, o − e_0, o + e_0, o − e_1, o + e_1
    private readonly double[] _gradient;
    private readonly double[] _hessian;
    private readonly double[] _weights;
    private readonly double[] _dhd;         // (1 + 2d)², Dᵀ Hess_pp D
    private readonly double[] _dhm;         // 1 + 2d, Dᵀ Hess_pm
    private readonly int[] _dCol;           // per stencil variable c (2d of them): the two stencil slots it reads
    private readonly double[] _dVal;        // and their coefficients

    public ErgodicSystem(PeriodicGrid grid)
    {
        Grid = grid;
        _d = grid.Dimension;
        _n = grid.NodeCount;
        _q = _n - 1;
        _nu = TGame.Viscosity;
        _h = [grid.Hx, grid.Hy];
        int s = 1 + (2 * _d);
        _positions = new double[_n * _d];
        _stencil = new int[_n * s];
        for (int g = 0; g < _n; g++)
        {
            grid.PositionUnchecked(g, _positions.AsSpan(g * _d, _d));
            _stencil[g * s] = g;
            for (int k = 0; k < _d; k++)
            {
                _stencil[(g * s) + 1 + (2 * k)] = grid.Neighbour(g, k, -1);
                _stencil[(g * s) + 2 + (2 * k)] = grid.Neighbour(g, k, +1);
            }
        }

        _gradient = new double[(2 * _d) + 1];
        _hessian = new double[_gradient.Length * _gradient.Length];
        _weights = new double[s];
        _dhd = new double[s * s];
        _dhm = new double[s];
        _dCol = new int[4 * _d];
        _dVal = new double[4 * _d];
        // Stencil variable c reads two stencil slots: p⁻_k = (U_o − U_{o−e_k})/h_k, p⁺_k = (U_{o+e_k} − U_o)/h_k.
        for (int k = 0; k < _d; k++)
        {
            int c = _d + k;
            _dCol[2 * c] = 2 + (2 * k);
            _dVal[2 * c] = 1 / _h[k];
            _dCol[(2 * c) + 1] = 0;
            _dVal[(2 * c) + 1] = -1 / _h[k];
        }

        for (int k = 0; k < _d; k++)
        {
            _dCol[2 * k] = 0;
            _dVal[2 * k] = 1 / _h[k];
            _dCol[(2 * k) + 1] = 1 + (2 * k);
            _dVal[(2 * k) + 1] = -1 / _h[k];
        }

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
        int d = _d, n = _n, s = 1 + (2 * d), nv = (2 * d) + 1;
        double nu = _nu, lambda = x[2 * n];
        residual.Clear();
        if (withJacobian)
        {
            Array.Clear(Jacobian.Values);
        }

        double diagonal = 0;
        for (int k = 0; k < d; k++)
        {
            diagonal += 2 * nu / (_h[k] * _h[k]);
        }

        Span<double> pMinus = stackalloc double[2];
        Span<double> pPlus = stackalloc double[2];
        for (int o = 0; o < n; o++)
        {
            ReadOnlySpan<int> st = _stencil.AsSpan(o * s, s);
            double uo = x[2 * o], mo = x[(2 * o) + 1];
            double lapU = 0, lapM = 0;
            for (int k = 0; k < d; k++)
            {
                double um = x[2 * st[1 + (2 * k)]], up = x[2 * st[2 + (2 * k)]];
                double mm = x[(2 * st[1 + (2 * k)]) + 1], mp = x[(2 * st[2 + (2 * k)]) + 1];
                double h = _h[k];
                pMinus[k] = (uo - um) / h;
                pPlus[k] = (up - uo) / h;
                lapU += (up - (2 * uo) + um) / (h * h);
                lapM += (mp - (2 * mo) + mm) / (h * h);
            }

            ReadOnlySpan<double> position = _positions.AsSpan(o * d, d);
            double value = withJacobian
                ? TGame.NumericalHamiltonian(position, pMinus[..d], pPlus[..d], mo, _gradient, _hessian)
                : TGame.NumericalHamiltonian(position, pMinus[..d], pPlus[..d], mo, _gradient);

            // Upwind weights w_s = Σ_c G_c D[c, s] = ∂Ĥ_o/∂U_{stencil s}.
            Array.Clear(_weights);
            for (int c = 0; c < 2 * d; c++)
            {
                _weights[_dCol[2 * c]] += _gradient[c] * _dVal[2 * c];
                _weights[_dCol[(2 * c) + 1]] += _gradient[c] * _dVal[(2 * c) + 1];
            }

            residual[2 * o] = (-nu * lapU) + value + lambda;
            if (o != _q)
            {
                residual[(2 * o) + 1] += -nu * lapM;
            }

            for (int t = 0; t < s; t++)
            {
                int node = st[t];
                if (node != _q)
                {
                    residual[(2 * node) + 1] += mo * _weights[t];
                }
            }

            if (withJacobian)
            {
                AddJacobianOfNode(o, st, mo, diagonal, nv);
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
            int massRow = (2 * _q) + 1, start = j.RowStart[massRow];
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

    private void AddJacobianOfNode(int o, ReadOnlySpan<int> st, double mo, double diagonal, int nv)
    {
        int d = _d, s = st.Length, n = _n;
        CsrMatrix j = Jacobian;
        int hjb = 2 * o;

        // HJB_o: −ν Δ_h + upwind weights in U; ∂Ĥ/∂m in M_o; 1 in Λ.
        j.Add(hjb, 2 * o, diagonal + _weights[0]);
        for (int t = 1; t < s; t++)
        {
            double h = _h[(t - 1) / 2];
            j.Add(hjb, 2 * st[t], (-_nu / (h * h)) + _weights[t]);
        }

        j.Add(hjb, (2 * o) + 1, _gradient[2 * d]);
        j.Add(hjb, 2 * n, 1);

        // FP rows: −ν Δ_h M (row o) and the scatter of M_o w_s (rows of the stencil nodes).
        if (o != _q)
        {
            j.Add((2 * o) + 1, (2 * o) + 1, diagonal);
            for (int t = 1; t < s; t++)
            {
                double h = _h[(t - 1) / 2];
                j.Add((2 * o) + 1, (2 * st[t]) + 1, -_nu / (h * h));
            }
        }

        // Dᵀ Hess_pp D and Dᵀ Hess_pm (the p–p block and the p–m column of the Hessian).
        Array.Clear(_dhd);
        Array.Clear(_dhm);
        for (int c = 0; c < 2 * d; c++)
        {
            double hm = _hessian[(c * nv) + (2 * d)];
            for (int a = 0; a < 2; a++)
            {
                int sa = _dCol[(2 * c) + a];
                double da = _dVal[(2 * c) + a];
                _dhm[sa] += da * hm;
                for (int c2 = 0; c2 < 2 * d; c2++)
                {
                    double hcc = _hessian[(c * nv) + c2];
                    if (hcc == 0)
                    {
                        continue;
                    }

                    for (int b = 0; b < 2; b++)
                    {
                        _dhd[(sa * s) + _dCol[(2 * c2) + b]] += da * hcc * _dVal[(2 * c2) + b];
                    }
                }
            }
        }

        for (int a = 0; a < s; a++)
        {
            int node = st[a];
            if (node == _q)
            {
                continue;
            }

            int row = (2 * node) + 1;
            j.Add(row, (2 * o) + 1, _weights[a] + (mo * _dhm[a]));
            for (int b = 0; b < s; b++)
            {
                double v = _dhd[(a * s) + b];
                if (v != 0)
                {
                    j.Add(row, 2 * st[b], mo * v);
                }
            }
        }
    }

    private List<int>[] Pattern()
    {
        int n = _n, s = 1 + (2 * _d);
        var rows = new List<int>[Size];
        for (int r = 0; r < Size; r++)
        {
            rows[r] = [];
        }

        for (int o = 0; o < n; o++)
        {
            ReadOnlySpan<int> st = _stencil.AsSpan(o * s, s);
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

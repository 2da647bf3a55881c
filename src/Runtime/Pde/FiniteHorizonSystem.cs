namespace MeanField.Pde;

/// <summary>
/// The discrete finite-horizon MFG system of specs/mfg.md §2.5 (implicit Euler, Achdou–Capuzzo-Dolcetta 2010): with
/// Δt = T/N_t, for k = 0 … N_t − 1,
/// HJB^k = −(U^{k+1} − U^k)/Δt − νΔ_hU^k + Ĥ(x, D⁻U^k, D⁺U^k, M^{k+1}),  U^{N_t} = g(x, M^{N_t});
/// FP^{k+1} = (M^{k+1} − M^k)/Δt + (∂HJB^k/∂U^k without 1/Δt)ᵀ M^{k+1},  M^0 = m₀ (given).
/// Unknowns and rows, block k of 2n: U^k_g at 2nk + 2g and M^{k+1}_g at 2nk + 2g + 1; HJB^k_g and FP^{k+1}_g likewise.
/// A game with a mean control (<see cref="IGameModel{TSelf}.HasMeanControl"/>, 1-D, specs/mfg.md §5.3) adds N_t unknowns
/// μ^k after the 2n·N_t (at <see cref="CoreSize"/> + k), the term μ^k·c(x_g) in HJB^k_g and the rows
/// MC^k = μ^k + hΣ_o M^{k+1}_o (∂Ĥ/∂p⁻ + ∂Ĥ/∂p⁺)(x_o, D^±U^k_o, M^{k+1}_o) = 0 (μ^k the discrete mean velocity
/// −∫∂ₚH m, for which the scheme's mean position moves by exactly Δt·μ^k). <see cref="Jacobian"/> holds the core
/// 2n·N_t block only; the border is <see cref="Coupling"/> (the μ columns: c at the HJB rows of block k) and
/// <see cref="MeanRows"/> (the MC rows' entries in block k).
/// Not thread-safe (scratch buffers); allocation-free after construction.
/// </summary>
internal sealed class FiniteHorizonSystem<TGame> where TGame : struct, IGameModel<TGame>
{
    private readonly UpwindStencil<TGame> _stencil;
    private readonly int _n;
    private readonly int _steps;
    private readonly double _dt;
    private readonly double[] _m0;
    private readonly double[] _positions;
    private readonly double[] _offsets;

    public FiniteHorizonSystem(PeriodicGrid grid, double horizon, int timeSteps, double[] initialDensity, bool withJacobian = true)
    {
        Grid = grid;
        _stencil = new UpwindStencil<TGame>(grid);
        _n = grid.NodeCount;
        _steps = timeSteps;
        _dt = horizon / timeSteps;
        _m0 = initialDensity;
        _positions = new double[_n * grid.Dimension];
        for (int g = 0; g < _n; g++)
        {
            grid.PositionUnchecked(g, _positions.AsSpan(g * grid.Dimension, grid.Dimension));
        }

        MeanControl = TGame.HasMeanControl;
        Coupling = new double[MeanControl ? _n : 0];
        MeanRows = new double[MeanControl ? 2 * _n * _steps : 0];
        _offsets = new double[_stencil.Slots];
        if (MeanControl)
        {
            for (int g = 0; g < _n; g++)
            {
                Coupling[g] = TGame.MeanControlCoupling(_positions.AsSpan(g * grid.Dimension, grid.Dimension));
            }

            // The signed x-offset of each stencil slot (o, o − e_0, o + e_0): Σ_s δ_s w_s = ∂Ĥ/∂p⁻ + ∂Ĥ/∂p⁺ in 1-D.
            _offsets[1] = -grid.Hx;
            _offsets[2] = grid.Hx;
        }

        // Without the Jacobian (the fixed-point solver only evaluates R): no pattern, an empty matrix.
        Jacobian = withJacobian ? new CsrMatrix(CoreSize, Pattern()) : new CsrMatrix(0, []);
    }

    public PeriodicGrid Grid { get; }

    /// <summary>2n·N_t, the U and M unknowns.</summary>
    public int CoreSize => 2 * _n * _steps;

    /// <summary>2n·N_t, plus N_t mean controls when the game has them.</summary>
    public int Size => CoreSize + (MeanControl ? _steps : 0);

    /// <summary>Whether the game has a mean control (the μ^k unknowns and MC^k rows).</summary>
    public bool MeanControl { get; }

    /// <summary>c(x_g), the μ^k column's entry in HJB^k_g (constant).</summary>
    public double[] Coupling { get; }

    /// <summary>∂MC^k/∂(block k unknowns), N_t × 2n, interleaved like a block (assembled with the Jacobian).</summary>
    public double[] MeanRows { get; }

    /// <summary>The Jacobian's core block, rows and columns &lt; <see cref="CoreSize"/>.</summary>
    public CsrMatrix Jacobian { get; }

    public void Assemble(ReadOnlySpan<double> x, Span<double> residual, bool withJacobian)
    {
        UpwindStencil<TGame> stencil = _stencil;
        int n = _n, s = stencil.Slots, d = Grid.Dimension, block = 2 * n;
        double nu = stencil.Viscosity, inverseDt = 1 / _dt;
        residual.Clear();
        if (withJacobian)
        {
            Array.Clear(Jacobian.Values);
            Array.Clear(MeanRows);
        }

        for (int k = 0; k < _steps; k++)
        {
            int b = block * k;
            ReadOnlySpan<double> um = x.Slice(b, block);
            double mu = MeanControl ? x[CoreSize + k] : 0, meanVelocity = 0;
            for (int o = 0; o < n; o++)
            {
                double uo = um[2 * o], mo = um[(2 * o) + 1];
                double value = stencil.Evaluate(o, um, mo, withJacobian, out double lapU, out double lapM);
                ReadOnlySpan<int> st = stencil.Stencil(o);
                double next, nextDerivative = 0;
                if (k + 1 < _steps)
                {
                    next = x[b + block + (2 * o)];
                }
                else
                {
                    ReadOnlySpan<double> position = _positions.AsSpan(o * d, d);
                    next = TGame.TerminalCost(position, mo);
                    nextDerivative = withJacobian ? TGame.TerminalCostDerivative(position, mo) : 0;
                }

                double previous = k > 0 ? x[b - block + (2 * o) + 1] : _m0[o];
                residual[b + (2 * o)] = (-(next - uo) * inverseDt) - (nu * lapU) + value;
                residual[b + (2 * o) + 1] += ((mo - previous) * inverseDt) - (nu * lapM);
                for (int t = 0; t < s; t++)
                {
                    residual[b + (2 * st[t]) + 1] += mo * stencil.Weights[t];
                }

                if (MeanControl)
                {
                    residual[b + (2 * o)] += mu * Coupling[o];
                    meanVelocity += mo * stencil.DriftX;
                }

                if (withJacobian)
                {
                    AddJacobianOfNode(k, o, st, mo, inverseDt, nextDerivative);
                    if (MeanControl)
                    {
                        AddMeanRowOfNode(k, o, st, mo);
                    }
                }
            }

            if (MeanControl)
            {
                residual[CoreSize + k] = mu + (Grid.Hx * meanVelocity);
            }
        }
    }

    /// <summary>Node o's part of ∂MC^k: h·Σ_s δ_s ∂(M_o w_s)/∂(U_t, M_o), the FP entries of node o weighted by δ.</summary>
    private void AddMeanRowOfNode(int k, int o, ReadOnlySpan<int> st, double mo)
    {
        UpwindStencil<TGame> stencil = _stencil;
        int s = st.Length;
        double h = Grid.Hx;
        Span<double> row = MeanRows.AsSpan(2 * _n * k, 2 * _n);
        double dm = 0;
        for (int a = 1; a < s; a++)
        {
            dm += _offsets[a] * (stencil.Weights[a] + (mo * stencil.PM[a]));
        }

        row[(2 * o) + 1] += h * dm;
        for (int c = 0; c < s; c++)
        {
            double du = 0;
            for (int a = 1; a < s; a++)
            {
                du += _offsets[a] * stencil.PP[(a * s) + c];
            }

            row[2 * st[c]] += h * mo * du;
        }
    }

    private void AddJacobianOfNode(int k, int o, ReadOnlySpan<int> st, double mo, double inverseDt, double terminalDerivative)
    {
        UpwindStencil<TGame> stencil = _stencil;
        CsrMatrix j = Jacobian;
        int s = st.Length, block = 2 * _n, b = block * k;
        int hjb = b + (2 * o), fp = b + (2 * o) + 1;

        j.Add(hjb, b + (2 * o), inverseDt + stencil.DiffusionDiagonal + stencil.Weights[0]);
        for (int t = 1; t < s; t++)
        {
            j.Add(hjb, b + (2 * st[t]), stencil.DiffusionOffDiagonal(t) + stencil.Weights[t]);
        }

        j.Add(hjb, b + (2 * o) + 1, stencil.Gradient[2 * stencil.Dimension] - (k + 1 == _steps ? terminalDerivative * inverseDt : 0));
        if (k + 1 < _steps)
        {
            j.Add(hjb, b + block + (2 * o), -inverseDt);
        }

        j.Add(fp, b + (2 * o) + 1, inverseDt + stencil.DiffusionDiagonal);
        for (int t = 1; t < s; t++)
        {
            j.Add(fp, b + (2 * st[t]) + 1, stencil.DiffusionOffDiagonal(t));
        }

        if (k > 0)
        {
            j.Add(fp, b - block + (2 * o) + 1, -inverseDt);
        }

        for (int a = 0; a < s; a++)
        {
            int row = b + (2 * st[a]) + 1;
            j.Add(row, b + (2 * o) + 1, stencil.Weights[a] + (mo * stencil.PM[a]));
            for (int c = 0; c < s; c++)
            {
                double v = stencil.PP[(a * s) + c];
                if (v != 0)
                {
                    j.Add(row, b + (2 * st[c]), mo * v);
                }
            }
        }
    }

    private List<int>[] Pattern()
    {
        int n = _n, block = 2 * n;
        var rows = new List<int>[CoreSize];
        for (int r = 0; r < CoreSize; r++)
        {
            rows[r] = [];
        }

        for (int k = 0; k < _steps; k++)
        {
            int b = block * k;
            for (int o = 0; o < n; o++)
            {
                ReadOnlySpan<int> st = _stencil.Stencil(o);
                List<int> hjb = rows[b + (2 * o)];
                foreach (int t in st)
                {
                    hjb.Add(b + (2 * t));
                }

                hjb.Add(b + (2 * o) + 1);
                if (k + 1 < _steps)
                {
                    hjb.Add(b + block + (2 * o));
                }

                if (k > 0)
                {
                    rows[b + (2 * o) + 1].Add(b - block + (2 * o) + 1);
                }

                foreach (int a in st)
                {
                    List<int> fp = rows[b + (2 * a) + 1];
                    fp.Add(b + (2 * o) + 1);
                    foreach (int c in st)
                    {
                        fp.Add(b + (2 * c));
                    }
                }
            }
        }

        return rows;
    }
}

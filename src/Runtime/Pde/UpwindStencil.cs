namespace MeanField.Pde;

/// <summary>
/// The per-node work shared by the discrete HJB–FP systems (specs/mfg.md §2.3–2.4): at node o of a
/// <see cref="PeriodicGrid"/>, from interleaved grid functions (U_g at 2g, M_g at 2g + 1), the one-sided differences,
/// Δ_hU and Δ_hM, the numerical Hamiltonian Ĥ of <typeparamref name="TGame"/> with its gradient, the upwind weights
/// w_s = ∂Ĥ_o/∂U_s over the stencil slots s (o, o − e_0, o + e_0, o − e_1, o + e_1), and, for Jacobians, DᵀHess_ppD and
/// DᵀHess_pm. Scratch buffers: one instance per thread. Allocation-free after construction.
/// </summary>
internal sealed class UpwindStencil<TGame> where TGame : struct, IGameModel<TGame>
{
    private readonly double[] _h;
    private readonly double[] _positions;   // n × d
    private readonly int[] _stencil;        // n × (1 + 2d)
    private readonly int[] _dCol;           // per stencil variable c (2d of them): the two stencil slots it reads
    private readonly double[] _dVal;        // and their coefficients
    private readonly double[] _pMinus;
    private readonly double[] _pPlus;

    public UpwindStencil(PeriodicGrid grid)
    {
        Grid = grid;
        Dimension = grid.Dimension;
        Nodes = grid.NodeCount;
        Viscosity = TGame.Viscosity;
        int d = Dimension;
        _h = [grid.Hx, grid.Hy];
        Slots = 1 + (2 * d);
        Variables = (2 * d) + 1;
        _positions = new double[Nodes * d];
        _stencil = new int[Nodes * Slots];
        for (int g = 0; g < Nodes; g++)
        {
            grid.PositionUnchecked(g, _positions.AsSpan(g * d, d));
            _stencil[g * Slots] = g;
            for (int k = 0; k < d; k++)
            {
                _stencil[(g * Slots) + 1 + (2 * k)] = grid.Neighbour(g, k, -1);
                _stencil[(g * Slots) + 2 + (2 * k)] = grid.Neighbour(g, k, +1);
            }
        }

        // Stencil variable c reads two slots: p⁻_k = (U_o − U_{o−e_k})/h_k, p⁺_k = (U_{o+e_k} − U_o)/h_k.
        _dCol = new int[4 * d];
        _dVal = new double[4 * d];
        for (int k = 0; k < d; k++)
        {
            _dCol[2 * k] = 0;
            _dVal[2 * k] = 1 / _h[k];
            _dCol[(2 * k) + 1] = 1 + (2 * k);
            _dVal[(2 * k) + 1] = -1 / _h[k];
            int c = d + k;
            _dCol[2 * c] = 2 + (2 * k);
            _dVal[2 * c] = 1 / _h[k];
            _dCol[(2 * c) + 1] = 0;
            _dVal[(2 * c) + 1] = -1 / _h[k];
            DiffusionDiagonal += 2 * Viscosity / (_h[k] * _h[k]);
        }

        Gradient = new double[Variables];
        Hessian = new double[Variables * Variables];
        Weights = new double[Slots];
        PP = new double[Slots * Slots];
        PM = new double[Slots];
        _pMinus = new double[d];
        _pPlus = new double[d];
    }

    public PeriodicGrid Grid { get; }

    public int Dimension { get; }

    public int Nodes { get; }

    public double Viscosity { get; }

    /// <summary>1 + 2d stencil slots.</summary>
    public int Slots { get; }

    /// <summary>2d + 1 variables of Ĥ.</summary>
    public int Variables { get; }

    /// <summary>(−νΔ_h)_{oo} = 2ν Σ_k 1/h_k².</summary>
    public double DiffusionDiagonal { get; }

    /// <summary>∂Ĥ/∂(p⁻, p⁺, m) at the last evaluated node.</summary>
    public double[] Gradient { get; }

    /// <summary>The Hessian of Ĥ at the last node evaluated with the Hessian.</summary>
    public double[] Hessian { get; }

    /// <summary>w_s = ∂Ĥ_o/∂U_{stencil s}.</summary>
    public double[] Weights { get; }

    /// <summary>(DᵀHess_ppD)[s, t], slots × slots.</summary>
    public double[] PP { get; }

    /// <summary>(DᵀHess_pm)[s].</summary>
    public double[] PM { get; }

    /// <summary>
    /// Σ_s δ_s w_s along x at the last evaluated node, δ_s the slot's x offset (0, −h, +h): ∂Ĥ/∂p⁻ + ∂Ĥ/∂p⁺ of x, the
    /// node's contribution to the mean velocity −∫∂ₚH m of a mean-control game (specs/mfg.md §5.3).
    /// </summary>
    public double DriftX => (Weights[2] - Weights[1]) * _h[0];

    /// <summary>The stencil of node o: o, o − e_0, o + e_0 (, o − e_1, o + e_1).</summary>
    public ReadOnlySpan<int> Stencil(int o) => _stencil.AsSpan(o * Slots, Slots);

    /// <summary>(−νΔ_h)_{o, stencil s} for s ≥ 1: −ν/h_k².</summary>
    public double DiffusionOffDiagonal(int slot)
    {
        double h = _h[(slot - 1) / 2];
        return -Viscosity / (h * h);
    }

    /// <summary>
    /// Ĥ at node o of the interleaved grid functions <paramref name="um"/> (U_g at 2g, M_g at 2g + 1), with
    /// <paramref name="m"/> the density Ĥ reads; fills <see cref="Gradient"/> and <see cref="Weights"/> (and with
    /// <paramref name="withHessian"/>, <see cref="Hessian"/>, <see cref="PP"/>, <see cref="PM"/>).
    /// </summary>
    public double Evaluate(int o, ReadOnlySpan<double> um, double m, bool withHessian, out double lapU, out double lapM)
    {
        int d = Dimension;
        ReadOnlySpan<int> st = Stencil(o);
        double uo = um[2 * o], mo = um[(2 * o) + 1];
        lapU = 0;
        lapM = 0;
        for (int k = 0; k < d; k++)
        {
            int minus = st[1 + (2 * k)], plus = st[2 + (2 * k)];
            double um1 = um[2 * minus], up1 = um[2 * plus];
            double h = _h[k];
            _pMinus[k] = (uo - um1) / h;
            _pPlus[k] = (up1 - uo) / h;
            lapU += (up1 - (2 * uo) + um1) / (h * h);
            lapM += (um[(2 * plus) + 1] - (2 * mo) + um[(2 * minus) + 1]) / (h * h);
        }

        ReadOnlySpan<double> position = _positions.AsSpan(o * d, d);
        double value = withHessian
            ? TGame.NumericalHamiltonian(position, _pMinus, _pPlus, m, Gradient, Hessian)
            : TGame.NumericalHamiltonian(position, _pMinus, _pPlus, m, Gradient);

        Array.Clear(Weights);
        for (int c = 0; c < 2 * d; c++)
        {
            Weights[_dCol[2 * c]] += Gradient[c] * _dVal[2 * c];
            Weights[_dCol[(2 * c) + 1]] += Gradient[c] * _dVal[(2 * c) + 1];
        }

        if (withHessian)
        {
            ProjectHessian();
        }

        return value;
    }

    /// <summary>PP = DᵀHess_ppD and PM = DᵀHess_pm from <see cref="Hessian"/> (D is sparse: two slots per variable).</summary>
    private void ProjectHessian()
    {
        int d = Dimension, s = Slots, nv = Variables;
        Array.Clear(PP);
        Array.Clear(PM);
        for (int c = 0; c < 2 * d; c++)
        {
            double hm = Hessian[(c * nv) + (2 * d)];
            for (int a = 0; a < 2; a++)
            {
                int sa = _dCol[(2 * c) + a];
                double da = _dVal[(2 * c) + a];
                PM[sa] += da * hm;
                for (int c2 = 0; c2 < 2 * d; c2++)
                {
                    double hcc = Hessian[(c * nv) + c2];
                    if (hcc == 0)
                    {
                        continue;
                    }

                    for (int b = 0; b < 2; b++)
                    {
                        PP[(sa * s) + _dCol[(2 * c2) + b]] += da * hcc * _dVal[(2 * c2) + b];
                    }
                }
            }
        }
    }
}

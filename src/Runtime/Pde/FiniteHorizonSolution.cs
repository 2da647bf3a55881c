namespace MeanField;

/// <summary>
/// The result of <see cref="FiniteHorizonSolver{TGame}.Solve"/>: U and M at the times t_k = kΔt, k = 0 … N_t, with the
/// Newton history (specs/mfg.md §2.5). Also the last iterate carried by a <see cref="NewtonConvergenceException"/>.
/// </summary>
public sealed class FiniteHorizonSolution : NewtonSolution
{
    internal FiniteHorizonSolution(PeriodicGrid grid, double horizon, int timeSteps, double[] u, double[] m, double[]? meanControl, IReadOnlyList<double> residualHistory, IReadOnlyList<double> stepLengths, bool converged)
        : base(grid, residualHistory, stepLengths, converged, m.Min())
    {
        Horizon = horizon;
        TimeSteps = timeSteps;
        U = u;
        M = m;
        MeanControl = meanControl;
        int n = grid.NodeCount;
        double defect = 0;
        for (int k = 0; k <= timeSteps; k++)
        {
            double sum = 0;
            foreach (double v in m.AsSpan(k * n, n))
            {
                sum += v;
            }

            defect = Math.Max(defect, Math.Abs((grid.CellVolume * sum) - 1));
        }

        MassDefect = defect;
    }

    /// <summary>T.</summary>
    public double Horizon { get; }

    /// <summary>N_t (Δt = T/N_t).</summary>
    public int TimeSteps { get; }

    /// <summary>Δt = T/N_t.</summary>
    public double TimeStep => Horizon / TimeSteps;

    /// <summary>U^k_g, (N_t + 1) × n, time-major: U[k·n + g] at t_k = kΔt and node g; row N_t is g(x, M^{N_t}).</summary>
    public double[] U { get; }

    /// <summary>M^k_g, (N_t + 1) × n, time-major; row 0 is the (normalised) initial density m₀.</summary>
    public double[] M { get; }

    /// <summary>
    /// μ^k, k = 0 … N_t − 1, the population's mean velocity −h^dΣ_g M^{k+1}_g(∂Ĥ/∂p⁻ + ∂Ĥ/∂p⁺) over the step from t_k to
    /// t_{k+1} (the scheme's mean position moves by Δt·μ^k, specs/mfg.md §5.3); null unless the game has a mean control.
    /// </summary>
    public double[]? MeanControl { get; }

    /// <summary>max_k |h^dΣ_g M^k_g − 1| (the scheme conserves mass: rounding only).</summary>
    public double MassDefect { get; }
}

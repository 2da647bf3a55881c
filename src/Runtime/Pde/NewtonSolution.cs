namespace MeanField;

/// <summary>
/// What every PDE solver's result carries: the grid and the Newton history (specs/mfg.md §3). The result types are
/// <see cref="ErgodicSolution"/> and <see cref="FiniteHorizonSolution"/>; a <see cref="NewtonConvergenceException"/>
/// carries the last iterate as one of them.
/// </summary>
public abstract class NewtonSolution
{
    private protected NewtonSolution(PeriodicGrid grid, IReadOnlyList<double> residualHistory, IReadOnlyList<double> stepLengths, bool converged, double minDensity)
    {
        Grid = grid;
        ResidualHistory = residualHistory;
        StepLengths = stepLengths;
        Converged = converged;
        MinDensity = minDensity;
    }

    /// <summary>The grid.</summary>
    public PeriodicGrid Grid { get; }

    /// <summary>‖R‖_∞ at the start (index 0) and after each Newton iteration.</summary>
    public IReadOnlyList<double> ResidualHistory { get; }

    /// <summary>The accepted line-search factor of each Newton iteration.</summary>
    public IReadOnlyList<double> StepLengths { get; }

    /// <summary>Newton iterations taken.</summary>
    public int Iterations => StepLengths.Count;

    /// <summary>‖R‖_∞ of this iterate.</summary>
    public double ResidualNorm => ResidualHistory[^1];

    /// <summary>Whether a stopping criterion was met (always true for a returned solution, false for an exception's last iterate).</summary>
    public bool Converged { get; }

    /// <summary>The smallest density value (positive: the line search keeps M &gt; 0).</summary>
    public double MinDensity { get; }
}

namespace MeanField;

/// <summary>
/// The result of <see cref="ErgodicSolver{TGame}.Solve"/>: the grid functions U, M and the ergodic constant Λ, with the
/// Newton history (specs/mfg.md §3). Also the last iterate carried by a <see cref="NewtonConvergenceException"/>.
/// </summary>
public sealed class ErgodicSolution
{
    internal ErgodicSolution(PeriodicGrid grid, double[] u, double[] m, double lambda, IReadOnlyList<double> residualHistory, IReadOnlyList<double> stepLengths, bool converged)
    {
        Grid = grid;
        U = u;
        M = m;
        Lambda = lambda;
        ResidualHistory = residualHistory;
        StepLengths = stepLengths;
        Converged = converged;
        double mass = 0, minimum = double.PositiveInfinity;
        foreach (double v in m)
        {
            mass += v;
            minimum = Math.Min(minimum, v);
        }

        Mass = grid.CellVolume * mass;
        MinDensity = minimum;
    }

    /// <summary>The grid.</summary>
    public PeriodicGrid Grid { get; }

    /// <summary>U_g, the value function at every node (node order g = i_x + N_x·i_y), ΣU = 0.</summary>
    public double[] U { get; }

    /// <summary>M_g, the density at every node, h^d ΣM = 1, M &gt; 0.</summary>
    public double[] M { get; }

    /// <summary>Λ, the ergodic constant.</summary>
    public double Lambda { get; }

    /// <summary>‖R‖_∞ at the start (index 0) and after each Newton iteration.</summary>
    public IReadOnlyList<double> ResidualHistory { get; }

    /// <summary>The accepted line-search factor of each Newton iteration.</summary>
    public IReadOnlyList<double> StepLengths { get; }

    /// <summary>Newton iterations taken.</summary>
    public int Iterations => StepLengths.Count;

    /// <summary>‖R‖_∞ of this iterate.</summary>
    public double ResidualNorm => ResidualHistory[^1];

    /// <summary>Whether a stopping criterion was met (always true for a returned solution).</summary>
    public bool Converged { get; }

    /// <summary>h^d ΣM (1 up to the tolerance).</summary>
    public double Mass { get; }

    /// <summary>min_g M_g (positive: the line search keeps M &gt; 0).</summary>
    public double MinDensity { get; }
}

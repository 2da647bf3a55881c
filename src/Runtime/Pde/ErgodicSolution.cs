namespace MeanField;

/// <summary>
/// The result of <see cref="ErgodicSolver{TGame}.Solve"/>: the grid functions U, M and the ergodic constant Λ, with the
/// Newton history (specs/mfg.md §3). Also the last iterate carried by a <see cref="NewtonConvergenceException"/>.
/// </summary>
public sealed class ErgodicSolution : NewtonSolution
{
    internal ErgodicSolution(PeriodicGrid grid, double[] u, double[] m, double lambda, IReadOnlyList<double> residualHistory, IReadOnlyList<double> stepLengths, bool converged)
        : base(grid, residualHistory, stepLengths, converged, m.Min())
    {
        U = u;
        M = m;
        Lambda = lambda;
        Mass = grid.CellVolume * m.Sum();
    }

    /// <summary>U_g, the value function at every node (node order g = i_x + N_x·i_y), ΣU = 0.</summary>
    public double[] U { get; }

    /// <summary>M_g, the density at every node, h^d ΣM = 1, M &gt; 0.</summary>
    public double[] M { get; }

    /// <summary>Λ, the ergodic constant.</summary>
    public double Lambda { get; }

    /// <summary>h^d ΣM (1 up to the tolerance).</summary>
    public double Mass { get; }

    /// <summary>
    /// The solution from an unknown vector interleaved as the systems store it: (U_g, M_g) per node, then Λ.
    /// </summary>
    internal static ErgodicSolution FromInterleaved(PeriodicGrid grid, double[] x, List<double> history, List<double> steps, bool converged)
    {
        int n = grid.NodeCount;
        var u = new double[n];
        var m = new double[n];
        for (int g = 0; g < n; g++)
        {
            u[g] = x[2 * g];
            m[g] = x[(2 * g) + 1];
        }

        return new ErgodicSolution(grid, u, m, x[2 * n], history.ToArray(), steps.ToArray(), converged);
    }
}

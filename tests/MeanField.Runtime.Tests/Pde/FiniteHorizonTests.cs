using MeanField.Pde;

namespace MeanField.Runtime.Tests.Pde;

/// <summary>The finite-horizon system and <see cref="FiniteHorizonSolver{TGame}"/> (specs/mfg.md §2.5).</summary>
public sealed class FiniteHorizonTests
{
    /// <summary>
    /// Every entry of the space–time Jacobian against central differences of the residual (ε = 10⁻⁶), at a random state
    /// with M &gt; 0, with a terminal cost that depends on m (g = u + 0.3 ln m). Tolerance 10⁻⁶(1 + |J_ij|), as for the
    /// ergodic Jacobian: rounding ε_mach max|R|/ε ≈ 2·10⁻⁸ here (max|R| ~ 10²), truncation ε²|R‴| ≤ 10⁻⁹ (the ln terms).
    /// </summary>
    [Theory]
    [InlineData(1, 5, 3, 11)]
    [InlineData(1, 3, 1, 12)]
    [InlineData(2, 3, 2, 13)]
    public void JacobianMatchesCentralDifferences(int dimension, int points, int timeSteps, int seed)
    {
        if (dimension == 1)
        {
            Check<TerminalCoupling1D>(new PeriodicGrid(points), timeSteps, seed);
        }
        else
        {
            Check<TerminalCoupling2D>(new PeriodicGrid(points, points + 1), timeSteps, seed);
        }
    }

    /// <summary>
    /// The same check with the crowd-trading game's mean controls (specs/mfg.md §5.3): the μ^k columns (c(x) in the HJB
    /// rows) and the MC^k rows μ^k + hΣ_o M_o(∂Ĥ/∂p⁻ + ∂Ĥ/∂p⁺), whose U entries come from ∇²Ĥ. Same tolerance (Ĥ is
    /// quadratic away from its kinks, which the check keeps the differences from).
    /// </summary>
    [Theory]
    [InlineData(5, 3, 14)]
    [InlineData(4, 1, 15)]
    public void MeanControlJacobianMatchesCentralDifferences(int points, int timeSteps, int seed)
        => Check<MeanField.Models.CrowdTradingGame>(new PeriodicGrid(points, MeanField.Models.CrowdTradingGame.Length), timeSteps, seed);

    /// <summary>
    /// With m₀ = M̄ and g = Ū, the discrete ergodic solution, U^k = Ū + λ̄(T − t_k), M^k = M̄ solves the discrete
    /// finite-horizon system exactly (the time differences give λ̄ and 0; the rest is the ergodic system; its replaced FP
    /// row holds because Σ FP ≡ 0). Tolerance 10⁻⁹: both systems are solved to ‖R‖_∞ ≤ 10⁻¹⁰ with rows of size
    /// ν/h² ≈ 800, so the iterates agree to ~10⁻¹⁰ times a moderate condition number; a wrong time coupling (U^{k+1} in
    /// the FP step, M^k in the HJB step) or a wrong sign of the time difference moves U by O(λ̄Δt) = 10⁻².
    /// </summary>
    [Fact]
    public void ErgodicDataGiveTheStationarySolution()
    {
        const int N = 40, Steps = 10;
        const double T = 0.5;
        ErgodicSolution ergodic = new ErgodicSolver<ExplicitErgodic1D>(new PeriodicGrid(N), null).Solve();
        StationaryData1D.Data = (ergodic.U, ergodic.M);
        FiniteHorizonSolution solution = new FiniteHorizonSolver<StationaryData1D>(new PeriodicGrid(N), T, Steps, null).Solve();
        for (int k = 0; k <= Steps; k++)
        {
            double t = k * solution.TimeStep;
            for (int g = 0; g < N; g++)
            {
                double u = solution.U[(k * N) + g], m = solution.M[(k * N) + g];
                Assert.True(Math.Abs(u - (ergodic.U[g] + (ergodic.Lambda * (T - t)))) <= 1e-9, $"U at k = {k}, g = {g}: {u}");
                Assert.True(Math.Abs(m - ergodic.M[g]) <= 1e-9, $"M at k = {k}, g = {g}: {m}");
            }
        }
    }

    /// <summary>
    /// m₀ = the exact ergodic density, g = u + 0.3 ln m, T = 1, N = 50, N_t = 50: Newton converges in ≤ 8 iterations
    /// (5 measured) with quadratic decrease (r_{k+1} ≤ 10 r_k² above the rounding floor, as for the ergodic solver); mass
    /// is conserved at every time level to rounding (10⁻¹² ≥ 50 steps × n ε_mach); M &gt; 0. Turnpike: mid-horizon, the
    /// solution is the ergodic one — |M(t = ½) − M̄|_∞ ≤ 10⁻³ (1.9·10⁻⁵ measured at t = 0.4; the layers at t = 0 and T
    /// decay like e^{−ρt} with ρ ≈ 20 here) and the mean of U decreases at the rate λ̄ (dŪ/dt = −λ̄ within 10⁻³ between
    /// t = 0.2 and 0.6).
    /// </summary>
    [Fact]
    public void ConservesMassAndApproachesTheErgodicSolution()
    {
        const int N = 50, Steps = 50;
        FiniteHorizonSolution solution = new FiniteHorizonSolver<TerminalCoupling1D>(new PeriodicGrid(N), 1.0, Steps, null).Solve();
        ErgodicSolution ergodic = new ErgodicSolver<ExplicitErgodic1D>(new PeriodicGrid(N), null).Solve();

        Assert.True(solution.Converged);
        Assert.True(solution.Iterations <= 8, $"{solution.Iterations} iterations");
        Assert.True(solution.ResidualNorm <= 1e-10, $"‖R‖ = {solution.ResidualNorm}");
        for (int k = 1; k + 1 < solution.ResidualHistory.Count; k++)
        {
            double r = solution.ResidualHistory[k], next = solution.ResidualHistory[k + 1];
            if (solution.StepLengths[k] == 1 && r < 1 && next > 1e-12)
            {
                Assert.True(next <= 10 * r * r, $"iteration {k + 1}: ‖R‖ {r} → {next}, not quadratic");
            }
        }

        Assert.True(solution.MassDefect <= 1e-12, $"mass defect {solution.MassDefect}");
        Assert.True(solution.MinDensity > 0);

        double maxDeviation = 0;
        for (int g = 0; g < N; g++)
        {
            maxDeviation = Math.Max(maxDeviation, Math.Abs(solution.M[(25 * N) + g] - ergodic.M[g]));
        }

        Assert.True(maxDeviation <= 1e-3, $"|M(½) − M̄| = {maxDeviation}");
        double rate = (MeanU(solution, 30) - MeanU(solution, 10)) / (20 * solution.TimeStep);
        Assert.True(Math.Abs(rate + ergodic.Lambda) <= 1e-3, $"d mean U/dt = {rate}, −λ̄ = {-ergodic.Lambda}");
    }

    /// <summary>2-D, 8 × 8 over T = 0.5 in 8 steps: converges, conserves mass (10⁻¹²), keeps M &gt; 0.</summary>
    [Fact]
    public void TwoDimensionalSolves()
    {
        FiniteHorizonSolution solution = new FiniteHorizonSolver<TerminalCoupling2D>(new PeriodicGrid(8, 8), 0.5, 8, null).Solve();
        Assert.True(solution.ResidualNorm <= 1e-10, $"‖R‖ = {solution.ResidualNorm}");
        Assert.True(solution.MassDefect <= 1e-12, $"mass defect {solution.MassDefect}");
        Assert.True(solution.MinDensity > 0);
        Assert.Equal(9 * 64, solution.U.Length);
    }

    /// <summary>An iteration limit too small: the exception carries the finite-horizon last iterate.</summary>
    [Fact]
    public void IterationLimitThrowsWithTheLastIterate()
    {
        var solver = new FiniteHorizonSolver<TerminalCoupling1D>(new PeriodicGrid(20), 1.0, 10, new NewtonOptions { MaxIterations = 1 });
        NewtonConvergenceException error = Assert.Throws<NewtonConvergenceException>(solver.Solve);
        Assert.Contains("no convergence in 1 iterations", error.Message, StringComparison.Ordinal);
        FiniteHorizonSolution last = Assert.IsType<FiniteHorizonSolution>(error.LastIterate);
        Assert.False(last.Converged);
        Assert.Equal(1, last.Iterations);
        Assert.True(last.MinDensity > 0);
    }

    private static double MeanU(FiniteHorizonSolution solution, int k)
    {
        int n = solution.Grid.NodeCount;
        double sum = 0;
        for (int g = 0; g < n; g++)
        {
            sum += solution.U[(k * n) + g];
        }

        return sum / n;
    }

    private static void Check<TGame>(PeriodicGrid grid, int timeSteps, int seed)
        where TGame : struct, IGameModel<TGame>
    {
        const double Epsilon = 1e-6;
        int n = grid.NodeCount;
        var m0 = new double[n];
        Array.Fill(m0, 1.0);
        var system = new FiniteHorizonSystem<TGame>(grid, 0.7, timeSteps, m0);
        int size = system.Size, core = system.CoreSize;
        var random = new Random(seed);
        var x = new double[size];
        for (int i = 0; i < core; i += 2)
        {
            x[i] = (2 * random.NextDouble()) - 1;
            x[i + 1] = 0.5 + random.NextDouble();
        }

        for (int i = core; i < size; i++)
        {
            x[i] = (2 * random.NextDouble()) - 1;
        }

        // The full Jacobian: the core block, and with mean controls the border (μ columns: c at block k's HJB rows;
        // MC rows: block k's entries and 1 on the diagonal).
        double Entry(int row, int col)
        {
            if (row < core && col < core)
            {
                return system.Jacobian[row, col];
            }

            if (row < core)
            {
                return row / (2 * n) == col - core && row % 2 == 0 ? system.Coupling[(row % (2 * n)) / 2] : 0;
            }

            int k = row - core;
            return col >= core ? (col == row ? 1 : 0) : col / (2 * n) == k ? system.MeanRows[col] : 0;
        }

        // Keep every one-sided difference away from the kinks of max/min (at each time level).
        for (int k = 0; k < timeSteps; k++)
        {
            for (int g = 0; g < n; g++)
            {
                for (int axis = 0; axis < grid.Dimension; axis++)
                {
                    int next = grid.Neighbour(g, axis, +1);
                    double p = Math.Abs(x[(2 * n * k) + (2 * next)] - x[(2 * n * k) + (2 * g)]) / grid.Spacing(axis);
                    Assert.True(p > 1e3 * Epsilon / Math.Min(grid.Hx, grid.Hy), $"seed {seed}: a difference {p} is too close to a kink");
                }
            }
        }

        var r = new double[size];
        system.Assemble(x, r, withJacobian: true);
        var plus = new double[size];
        var minus = new double[size];
        var xp = (double[])x.Clone();
        for (int col = 0; col < size; col++)
        {
            xp[col] = x[col] + Epsilon;
            system.Assemble(xp, plus, withJacobian: false);
            xp[col] = x[col] - Epsilon;
            system.Assemble(xp, minus, withJacobian: false);
            xp[col] = x[col];
            for (int row = 0; row < size; row++)
            {
                double fd = (plus[row] - minus[row]) / (2 * Epsilon);
                double exact = Entry(row, col);
                Assert.True(Math.Abs(fd - exact) <= 1e-6 * (1 + Math.Abs(exact)), $"J[{row}, {col}] = {exact}, central difference {fd}");
            }
        }
    }
}

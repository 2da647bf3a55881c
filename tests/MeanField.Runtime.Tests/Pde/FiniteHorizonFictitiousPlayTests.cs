using MeanField.Models;

namespace MeanField.Runtime.Tests.Pde;

/// <summary>
/// <see cref="FiniteHorizonFictitiousPlaySolver{TGame}"/> (specs/mfg.md §11.2): its fixed point is the space–time
/// system's solution, so it agrees with <see cref="FiniteHorizonSolver{TGame}"/> (Newton) when both converge.
/// </summary>
public sealed class FiniteHorizonFictitiousPlayTests
{
    /// <summary>
    /// The explicit example's H with a terminal coupling (TerminalCoupling1D, g depends on m), N = 40, N_t = 10, T = 1:
    /// damped (θ = ½) to ‖R‖_∞ ≤ 10⁻⁹; Newton to 10⁻¹⁰. The two iterates solve the same system, whose Jacobian has
    /// rows of size ν/h² ≈ 800, so they agree to ~10⁻⁹ times a moderate condition number: tolerance 10⁻⁷ (a wrong time
    /// index in either sweep moves U or M by O(Δt) = 0.1). The residual falls geometrically (θ(1 + ρ(K)) &lt; 2 here).
    /// </summary>
    [Fact]
    public void DampedIterationAgreesWithNewton()
    {
        var grid = new PeriodicGrid(40);
        var newton = new FiniteHorizonSolver<TerminalCoupling1D>(grid, 1, 10, null).Solve();
        var play = new FiniteHorizonFictitiousPlaySolver<TerminalCoupling1D>(grid, 1, 10, new FictitiousPlayOptions { Damping = 0.5, Tolerance = 1e-9 }).Solve();
        Assert.True(play.ResidualNorm <= 1e-9);
        Assert.True(MaxDifference(newton.U, play.U) <= 1e-7, $"U differs by {MaxDifference(newton.U, play.U)}");
        Assert.True(MaxDifference(newton.M, play.M) <= 1e-7, $"M differs by {MaxDifference(newton.M, play.M)}");
        Assert.True(play.MassDefect <= 1e-12, $"mass defect {play.MassDefect}");
        Assert.Null(play.MeanControl);
        Assert.Equal(play.ResidualHistory.Count - 1, play.StepLengths.Count);
        Assert.All(play.StepLengths, w => Assert.Equal(0.5, w));
    }

    /// <summary>
    /// Crowd trading (the mean control averaged with the densities), N = 100, N_t = 20: the same U, M and μ as Newton's
    /// (tolerance as above; μ^k enters every HJB row, so a mean-control sweep that missed the factor h or the sign of
    /// c would be off by O(1)).
    /// </summary>
    [Fact]
    public void MeanControlGameAgreesWithNewton()
    {
        var grid = new PeriodicGrid(100, CrowdTradingGame.Length);
        var newton = new FiniteHorizonSolver<CrowdTradingGame>(grid, 1, 20, null).Solve();
        var play = new FiniteHorizonFictitiousPlaySolver<CrowdTradingGame>(grid, 1, 20, new FictitiousPlayOptions { Damping = 0.5, Tolerance = 1e-9 }).Solve();
        Assert.True(MaxDifference(newton.U, play.U) <= 1e-7, $"U differs by {MaxDifference(newton.U, play.U)}");
        Assert.True(MaxDifference(newton.M, play.M) <= 1e-7, $"M differs by {MaxDifference(newton.M, play.M)}");
        Assert.True(MaxDifference(newton.MeanControl!, play.MeanControl!) <= 1e-7, $"μ differs by {MaxDifference(newton.MeanControl!, play.MeanControl!)}");
    }

    /// <summary>The 2-D terminal-coupling game on 8 × 8 × 8 steps: the same solution as Newton's (tolerance as above).</summary>
    [Fact]
    public void TwoDimensionalAgreesWithNewton()
    {
        var grid = new PeriodicGrid(8, 8);
        var newton = new FiniteHorizonSolver<TerminalCoupling2D>(grid, 0.5, 8, null).Solve();
        var play = new FiniteHorizonFictitiousPlaySolver<TerminalCoupling2D>(grid, 0.5, 8, new FictitiousPlayOptions { Damping = 0.5, Tolerance = 1e-9 }).Solve();
        Assert.True(MaxDifference(newton.U, play.U) <= 1e-7, $"U differs by {MaxDifference(newton.U, play.U)}");
        Assert.True(MaxDifference(newton.M, play.M) <= 1e-7, $"M differs by {MaxDifference(newton.M, play.M)}");
    }

    /// <summary>
    /// Fictitious play (weights 1/(j + 1)) on the crowd game makes progress at its O(1/j) rate: after 40 iterations the
    /// residual has fallen by ≥ 10× from the first best response (measured ≈ …); the budget then throws with the last
    /// iterate, a <see cref="FiniteHorizonSolution"/> with its history, and reports every iteration to Progress.
    /// </summary>
    [Fact]
    public void BudgetExhaustedThrowsWithTheLastIterateAndReportsProgress()
    {
        var reports = new List<FictitiousPlayProgress>();
        var options = new FictitiousPlayOptions { MaxIterations = 40, Tolerance = 1e-12, Progress = new MeanField.Samples.SynchronousProgress<FictitiousPlayProgress>(reports.Add) };
        var solver = new FiniteHorizonFictitiousPlaySolver<CrowdTradingGame>(new PeriodicGrid(100, CrowdTradingGame.Length), 1, 20, options);
        var exception = Assert.Throws<FictitiousPlayConvergenceException>(solver.Solve);
        var last = Assert.IsType<FiniteHorizonSolution>(exception.LastIterate);
        Assert.False(last.Converged);
        Assert.Equal(41, last.ResidualHistory.Count);
        Assert.Equal(40, reports.Count);
        Assert.Equal(1.0 / 41, last.StepLengths[^1], 1e-15);
        Assert.True(last.ResidualHistory[^1] <= last.ResidualHistory[0] / 10, string.Join(", ", last.ResidualHistory.Select(r => r.ToString("G3", System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Contains("no convergence in 40 iterations", exception.Message, StringComparison.Ordinal);
    }

    private static double MaxDifference(double[] a, double[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
}

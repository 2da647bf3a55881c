using MeanField.Models;

namespace MeanField.Runtime.Tests.Pde;

/// <summary>
/// Crowd trading solved as a finite-horizon MFG with the mean control μ(t) as Newton unknowns (specs/mfg.md §5.3),
/// against the independent Riccati/ODE reference (<see cref="CrowdTradingReference"/>, MathNet RK4).
/// </summary>
public sealed class CrowdTradingTests
{
    private static readonly CrowdTradingReference Reference = new(
        CrowdTradingGame.Kappa, CrowdTradingGame.Alpha, CrowdTradingGame.Phi, CrowdTradingGame.TerminalPenalty, CrowdTradingGame.Horizon, CrowdTradingGame.InitialMean);

    /// <summary>The N = 120, N_t = 40 solve, shared by two tests (about 4 s).</summary>
    private static readonly Lazy<(double Mean, double Rate, FiniteHorizonSolution Solution)> Fine = new(() => Errors(120, 40));

    /// <summary>max_k |E^k − E(t_k)| and max_k |μ^k − μ(t_{k+1})| (μ^k is the implicit step's rate, E^{k+1} − E^k = Δt μ^k).</summary>
    internal static (double Mean, double Rate, FiniteHorizonSolution Solution) Errors(int n, int steps)
    {
        var grid = new PeriodicGrid(n, CrowdTradingGame.Length);
        var solution = new FiniteHorizonSolver<CrowdTradingGame>(grid, CrowdTradingGame.Horizon, steps, null).Solve();
        var (_, mean, rate, _) = Reference.Solve(steps);
        double h = grid.Hx, meanError = 0, rateError = 0;
        for (int k = 0; k <= steps; k++)
        {
            double e = 0;
            for (int g = 0; g < n; g++)
            {
                e += h * ((g * h) - CrowdTradingGame.Offset) * solution.M[(k * n) + g];
            }

            meanError = Math.Max(meanError, Math.Abs(e - mean[k]));
            if (k < steps)
            {
                rateError = Math.Max(rateError, Math.Abs(solution.MeanControl![k] - rate[k + 1]));
            }
        }

        return (meanError, rateError, solution);
    }

    /// <summary>
    /// E and μ against the reference at N = 60 and 120 nodes on [−1, 2) with N_t = 20 and 40 steps (h = Δt/… both halve).
    /// Implicit Euler and the upwind differences are first order in Δt and h, so the errors should halve with the grid:
    /// measured (2026-12-06) E 0.0145 → 0.0065, μ 0.0163 → 0.0095; required: each falls by ≥ 1.5× and the fine errors
    /// are ≤ 0.01 (E) and 0.015 (μ), about 1.5× the measured values (a wrong sign of αqμ moves μ(0) by 0.2, a rate
    /// missing the mean control's factor h by orders of magnitude).
    /// </summary>
    [Fact]
    public void MeanInventoryAndRateConvergeToTheRiccatiReference()
    {
        var coarse = Errors(60, 20);
        var fine = Fine.Value;
        Assert.True(fine.Mean <= coarse.Mean / 1.5, $"E error {coarse.Mean:G3} → {fine.Mean:G3}");
        Assert.True(fine.Rate <= coarse.Rate / 1.5, $"μ error {coarse.Rate:G3} → {fine.Rate:G3}");
        Assert.True(fine.Mean <= 0.01, $"E error {fine.Mean:G3}");
        Assert.True(fine.Rate <= 0.015, $"μ error {fine.Rate:G3}");
    }

    /// <summary>
    /// The discrete identities of §5.3 at N = 120, N_t = 40: the mean inventory moves by Δt·μ^k per step (the MC rows
    /// define μ^k so) up to the flux through the circle's seam, where q jumps by L: at most Δt·L·(M_0 + M_{N−1})·v_max
    /// with the seam's velocity |∂ₚĤ| ≤ jump of u/(2κh) ≤ 2/h (u jumps by ≤ 3 there) — measured 4·10⁻⁷ against
    /// Δt|μ| ≈ 0.02 in the first step, with M ≈ 3·10⁻⁶ at the seam (the upwind scheme's numerical diffusion). Mass is
    /// conserved to rounding, M stays positive, and Newton ends quadratically (the last two residuals: ‖R‖ ≤ 10⁻¹⁰ after
    /// a step from ≤ 10⁻⁴).
    /// </summary>
    [Fact]
    public void TheMeanMovesByTheMeanControlAndNewtonEndsQuadratically()
    {
        const int N = 120, Steps = 40;
        var (_, _, solution) = Fine.Value;
        double h = solution.Grid.Hx, dt = solution.TimeStep;
        double Mean(int k)
        {
            double e = 0;
            for (int g = 0; g < N; g++)
            {
                e += h * ((g * h) - CrowdTradingGame.Offset) * solution.M[(k * N) + g];
            }

            return e;
        }

        for (int k = 0; k < Steps; k++)
        {
            double moved = Mean(k + 1) - Mean(k), seam = solution.M[(k + 1) * N] + solution.M[((k + 2) * N) - 1];
            double bound = (dt * CrowdTradingGame.Length * seam * 2 / h) + 1e-13;
            Assert.True(Math.Abs(moved - (dt * solution.MeanControl![k])) <= bound, $"step {k}: E moved {moved}, Δt·μ = {dt * solution.MeanControl![k]}, seam mass {seam:G3}");
        }

        Assert.True(solution.MassDefect <= 1e-12, $"mass defect {solution.MassDefect}");
        Assert.True(solution.MinDensity > 0);
        Assert.Equal(Steps, solution.MeanControl!.Length);
        var history = solution.ResidualHistory;
        Assert.True(history[^1] <= 1e-10 && history[^2] <= 1e-4, string.Join(", ", history.Select(r => r.ToString("G3", System.Globalization.CultureInfo.InvariantCulture))));
    }

    /// <summary>
    /// The Lagrangian declaration (<see cref="CrowdTradingLagrangian"/>, c = −∂L/∂μ) gives the Hamiltonian declaration's
    /// solution: the same discrete system up to the rounding of the derived coefficients, both solved to ‖R‖ ≤ 10⁻¹⁰ —
    /// tolerance 10⁻⁸ on U (values ~1), M (~3) and μ.
    /// </summary>
    [Fact]
    public void LagrangianDeclarationGivesTheSameSolution()
    {
        var grid = new PeriodicGrid(40, CrowdTradingGame.Length);
        var fromH = new FiniteHorizonSolver<CrowdTradingGame>(grid, 1, 10, null).Solve();
        var fromL = new FiniteHorizonSolver<CrowdTradingLagrangian>(grid, 1, 10, null).Solve();
        Assert.True(fromL.MeanControl is not null);
        Assert.True(MaxDifference(fromH.U, fromL.U) <= 1e-8, $"U differs by {MaxDifference(fromH.U, fromL.U)}");
        Assert.True(MaxDifference(fromH.M, fromL.M) <= 1e-8, $"M differs by {MaxDifference(fromH.M, fromL.M)}");
        Assert.True(MaxDifference(fromH.MeanControl!, fromL.MeanControl!) <= 1e-8, $"μ differs by {MaxDifference(fromH.MeanControl!, fromL.MeanControl!)}");
    }

    /// <summary>A game without a mean control reports none.</summary>
    [Fact]
    public void GamesWithoutMeanControlHaveNone()
    {
        var solution = new FiniteHorizonSolver<TerminalCoupling1D>(new PeriodicGrid(8), 0.5, 2, null).Solve();
        Assert.Null(solution.MeanControl);
        Assert.False(IGameModelDefaults.HasMeanControl<TerminalCoupling1D>());
        Assert.True(IGameModelDefaults.HasMeanControl<CrowdTradingGame>());
    }

    private static double MaxDifference(double[] a, double[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

    private static class IGameModelDefaults
    {
        public static bool HasMeanControl<T>() where T : struct, IGameModel<T> => T.HasMeanControl;
    }
}

using MeanField.Models;

namespace MeanField.Runtime.Tests.Pde;

/// <summary>
/// Crowd trading solved as a finite-horizon MFG with the mean control μ(t) as Newton unknowns, or averaged by the
/// fixed-point solver (specs/mfg.md §5.3, §11.2), against the independent Riccati/ODE reference (<see cref="CrowdTradingReference"/>, MathNet RK4).
/// </summary>
public sealed class CrowdTradingTests
{
    private static readonly CrowdTradingReference Reference = new(
        CrowdTradingGame.Kappa, CrowdTradingGame.Alpha, CrowdTradingGame.Phi, CrowdTradingGame.TerminalPenalty, CrowdTradingGame.Horizon, CrowdTradingGame.InitialMean);

    /// <summary>Newton's solve at N = 100 (h = 0.05), N_t = 20, shared by two tests (about 1 s).</summary>
    private static readonly Lazy<FiniteHorizonSolution> Newton = new(() =>
        new FiniteHorizonSolver<CrowdTradingGame>(new PeriodicGrid(100, CrowdTradingGame.Length), CrowdTradingGame.Horizon, 20, null).Solve());

    /// <summary>max_k |E^k − E(t_k)| and max_k |μ^k − μ(t_{k+1})| (μ^k is the implicit step's rate, E^{k+1} − E^k = Δt μ^k).</summary>
    internal static (double Mean, double Rate) Errors(FiniteHorizonSolution solution)
    {
        int steps = solution.TimeSteps;
        var (_, mean, rate, _) = Reference.Solve(steps);
        double[] inventory = CrowdTradingReference.MeanInventory(solution, CrowdTradingGame.Offset);
        double meanError = 0, rateError = 0;
        for (int k = 0; k <= steps; k++)
        {
            meanError = Math.Max(meanError, Math.Abs(inventory[k] - mean[k]));
            if (k < steps)
            {
                rateError = Math.Max(rateError, Math.Abs(solution.MeanControl![k] - rate[k + 1]));
            }
        }

        return (meanError, rateError);
    }

    /// <summary>
    /// E and μ against the reference on q ∈ [−2, 3) at h = 0.05, 0.025, 0.0125 with Δt = h (N = 100, 200, 400; N_t = 20,
    /// 40, 80), solved by the fixed-point solver (O(N_t·n) per iteration; Newton's O(N_t n³) band LU would take minutes
    /// at the finest) to ‖R‖ ≤ 10⁻⁹, far below the discretisation error. Implicit Euler and the upwind differences are
    /// first order in Δt and h, so each error should halve with the grid: measured (2026-12-06) E 0.0167, 0.0085, 0.0043, μ
    /// 0.0141, 0.0076, 0.0039; required: each falls by ≥ 1.6× per refinement and the finest errors are ≤ 0.0065 (E) and
    /// 0.006 (μ), 1.5× the measured (a wrong sign of
    /// αqμ moves μ(0) by 0.2; a seam the traders cross, as on q ∈ [−1, 2), leaves a bias of 0.004 that does not fall).
    /// Newton's solution at the coarsest grid is the same (<see cref="FiniteHorizonFictitiousPlayTests"/>); its errors
    /// (the same 0.0167 and 0.0141) are held to 1.5× too.
    /// </summary>
    [Fact]
    public void MeanInventoryAndRateConvergeToTheRiccatiReference()
    {
        var options = new FictitiousPlayOptions { Damping = 0.5, Tolerance = 1e-9 };
        var errors = new[] { 100, 200, 400 }
            .Select(n => Errors(new FiniteHorizonFictitiousPlaySolver<CrowdTradingGame>(new PeriodicGrid(n, CrowdTradingGame.Length), CrowdTradingGame.Horizon, n / 5, options).Solve()))
            .ToArray();
        var newton = Errors(Newton.Value);
        string measured = string.Join("; ", errors.Select(e => $"E {e.Mean:G3}, μ {e.Rate:G3}"));
        for (int i = 1; i < errors.Length; i++)
        {
            Assert.True(errors[i].Mean <= errors[i - 1].Mean / 1.6 && errors[i].Rate <= errors[i - 1].Rate / 1.6, measured);
        }

        Assert.True(errors[^1].Mean <= 0.0065 && errors[^1].Rate <= 0.006, measured);
        Assert.True(newton.Mean <= 0.025 && newton.Rate <= 0.021, $"Newton: E {newton.Mean:G3}, μ {newton.Rate:G3}");
    }

    /// <summary>
    /// The discrete identities of §5.3 on Newton's solve (N = 100, N_t = 20): the mean inventory moves by exactly Δt·μ^k
    /// per step (the MC rows define μ^k so) while no mass reaches the circle's seam (there q jumps by L; M ≤ 10⁻¹⁶ there,
    /// checked): measured to 5·10⁻¹⁶, tolerance 10⁻¹³ (rounding of E's sum of N terms; a μ^k missing the factor h or
    /// using M^k for M^{k+1} is off by ≥ 10⁻³). Mass is conserved to rounding, M stays positive, and Newton ends
    /// quadratically (the last two residuals: ‖R‖ ≤ 10⁻¹⁰ after a step from ≤ 10⁻⁴).
    /// </summary>
    [Fact]
    public void TheMeanMovesByTheMeanControlAndNewtonEndsQuadratically()
    {
        const int N = 100, Steps = 20;
        FiniteHorizonSolution solution = Newton.Value;
        double dt = solution.TimeStep;
        double[] inventory = CrowdTradingReference.MeanInventory(solution, CrowdTradingGame.Offset);
        double Mean(int k) => inventory[k];

        for (int k = 0; k < Steps; k++)
        {
            double moved = Mean(k + 1) - Mean(k), seam = solution.M[(k + 1) * N] + solution.M[((k + 2) * N) - 1];
            Assert.True(seam <= 1e-15, $"step {k}: M = {seam:G3} at the seam");
            Assert.True(Math.Abs(moved - (dt * solution.MeanControl![k])) <= 1e-13, $"step {k}: E moved {moved}, Δt·μ = {dt * solution.MeanControl![k]}");
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
        var grid = new PeriodicGrid(50, CrowdTradingGame.Length);
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

namespace MeanField.Models;

/// <summary>
/// Crowd trading (Cardaliaguet–Lehalle 2018; specs/mfg.md §5.3): traders liquidate inventories q at rates v, paying
/// κv² (temporary impact), φq² (inventory risk) and Aq² at T, while the crowd's mean rate μ(t) moves the price by αμ:
/// H(q, p, m, μ) = p²/(4κ) + αqμ − φq², u(T) = Aq², m₀ a Gaussian of mean E₀ and spread s. The inventory line is the
/// circle x ∈ [0, <see cref="Length"/>) with q = x − <see cref="Offset"/>, q ∈ [−2, 3): m₀ is below 10⁻³⁸ of its peak
/// at the seam, and the seam is far enough that no trader gains by crossing it (on a circle q = 3 − 0 meets q = −2; with
/// q ∈ [−1, 2) the traders above q ≈ 1.5 did, biasing μ by 0.004 at every grid, specs/mfg.md §5.3);
/// solve it with <c>new FiniteHorizonSolver&lt;CrowdTradingGame&gt;(new PeriodicGrid(n, CrowdTradingGame.Length),
/// CrowdTradingGame.Horizon, steps, null)</c>. The viscosity ε = 0.01 is small noise on the inventories: the mean
/// inventory E(t) and rate μ(t) do not depend on it (§5.3), so they compare with the Riccati reference
/// (κ = α = A = T = E₀ = 1, φ = 0.1: μ(0) = −0.778).
/// </summary>
[MeanFieldGame(Viscosity = 0.01)]
public partial struct CrowdTradingGame
{
    /// <summary>κ, the temporary impact.</summary>
    public const double Kappa = 1;

    /// <summary>α, the permanent impact of the crowd's mean rate.</summary>
    public const double Alpha = 1;

    /// <summary>φ, the running inventory penalty.</summary>
    public const double Phi = 0.1;

    /// <summary>A, the terminal inventory penalty.</summary>
    public const double TerminalPenalty = 1;

    /// <summary>T, the horizon.</summary>
    public const double Horizon = 1;

    /// <summary>E₀, the initial mean inventory.</summary>
    public const double InitialMean = 1;

    /// <summary>s, the initial spread of inventories.</summary>
    public const double InitialSpread = 0.15;

    /// <summary>L, the length of the inventory circle.</summary>
    public const double Length = 5;

    /// <summary>q = x − Offset: inventories in [−2, 3).</summary>
    public const double Offset = 2;

    /// <summary>H = p²/(4κ) + αqμ − φq², μ the crowd's mean trading rate.</summary>
    [Hamiltonian]
    public static double H(double x, double p, double m, double mu)
        => (p * p / (4 * Kappa)) + (Alpha * (x - Offset) * mu) - (Phi * (x - Offset) * (x - Offset));

    /// <summary>m₀: the Gaussian N(E₀, s²) in q.</summary>
    [InitialDensity]
    public static double M0(double x)
        => Math.Exp(-(x - Offset - InitialMean) * (x - Offset - InitialMean) / (2 * InitialSpread * InitialSpread)) / (InitialSpread * Math.Sqrt(2 * Math.PI));

    /// <summary>g = Aq².</summary>
    [TerminalCost]
    public static double G(double x, double m) => TerminalPenalty * (x - Offset) * (x - Offset);
}

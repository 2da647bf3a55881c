namespace MeanField.Runtime.Tests.Pde;

/// <summary>The crowd-trading ODE reference checked against its closed forms (specs/mfg.md §5.3).</summary>
public sealed class CrowdTradingReferenceTests
{
    private static readonly CrowdTradingReference Base = new(Kappa: 1, Alpha: 1, Phi: 0.1, A: 1, T: 1, E0: 1);

    /// <summary>
    /// RK4 on the Riccati equation against its closed form, both sides of 2A = r (A = 1 > r/2 = 0.32, and A = 0.1 &lt; r/2):
    /// RK4's global error is O(Δt⁴) ≈ 10⁻¹² at 1000 steps (|h₂⁽⁵⁾| ≤ 10 here); the tolerance 10⁻⁹ leaves room.
    /// </summary>
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.1)]
    public void RiccatiMatchesItsClosedForm(double a)
    {
        var reference = Base with { A = a };
        double[] h2 = reference.H2ByRungeKutta(1000);
        for (int k = 0; k <= 1000; k++)
        {
            double t = k / 1000.0;
            Assert.True(Math.Abs(h2[k] - reference.H2Exact(t)) <= 1e-9, $"h₂({t}) = {h2[k]} vs {reference.H2Exact(t)}");
        }
    }

    /// <summary>
    /// Without permanent impact (α = 0) h₁ ≡ 0 and E' = −h₂E/(2κ), whose solution with h₂ = r coth(σ) (2A &gt; r),
    /// σ(t) = r(T − t)/(2κ) + σ_T, is E(t) = E₀ sinh(σ(t))/sinh(σ(0)): the shooting's E against it to 10⁻⁹ (RK4, 1000
    /// steps), and h₁(T) = 0 to 10⁻¹².
    /// </summary>
    [Fact]
    public void WithoutPermanentImpactTheMeanInventoryHasAClosedForm()
    {
        var reference = Base with { Alpha = 0 };
        var (time, mean, rate, h1) = reference.Solve(1000);
        double r = 2 * Math.Sqrt(reference.Kappa * reference.Phi), ratio = 2 * reference.A / r;
        double sigmaT = 0.5 * Math.Log((ratio + 1) / (ratio - 1));
        double Sigma(double t) => (r * (reference.T - t) / (2 * reference.Kappa)) + sigmaT;
        for (int k = 0; k < time.Length; k++)
        {
            double exact = reference.E0 * Math.Sinh(Sigma(time[k])) / Math.Sinh(Sigma(0));
            Assert.True(Math.Abs(mean[k] - exact) <= 1e-9, $"E({time[k]}) = {mean[k]} vs {exact}");
            Assert.True(Math.Abs(h1[k]) <= 1e-12);
        }

        Assert.True(rate.All(v => v < 0), "a long crowd sells");
    }

    /// <summary>
    /// With permanent impact the two-point problem holds: E(0) = E₀ and h₁(T) = 0 (to 10⁻¹⁰: the shooting is exact for a
    /// linear problem, up to rounding), and E' = μ along the path (centred differences, O(Δt²) ≈ 10⁻⁶ at 1000 steps).
    /// The crowd's own selling pushes the price down (drift αμ &lt; 0), so holding inventory costs more and each trader sells
    /// faster than without impact at t = 0 (|μ(0)| 0.78 against 0.56 measured).
    /// </summary>
    [Fact]
    public void WithPermanentImpactTheTwoPointProblemHolds()
    {
        var (time, mean, rate, h1) = Base.Solve(1000);
        Assert.Equal(Base.E0, mean[0]);
        Assert.True(Math.Abs(h1[^1]) <= 1e-10, $"h₁(T) = {h1[^1]}");
        for (int k = 1; k + 1 < time.Length; k++)
        {
            double derivative = (mean[k + 1] - mean[k - 1]) / (time[k + 1] - time[k - 1]);
            Assert.True(Math.Abs(derivative - rate[k]) <= 1e-5, $"E'({time[k]}) = {derivative} vs μ = {rate[k]}");
        }

        var (_, _, rateWithoutImpact, _) = (Base with { Alpha = 0 }).Solve(1000);
        Assert.True(rate[0] < rateWithoutImpact[0], $"μ(0) = {rate[0]} with impact, {rateWithoutImpact[0]} without");
    }
}

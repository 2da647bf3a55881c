using MeanField.Models;
using Xunit.Abstractions;

namespace MeanField.Runtime.Tests.Claims;

/// <summary>
/// Claims 2 and 3 on the Gaussian-feature problem (generated <see cref="GaussianFeatures"/>, σ_f = 0.2, d = 1; specs/particles.md
/// §2.4 "Dissipation" and §3.3): the noiseless flow dissipates the energy monotonically, birth–death reaches a lower energy
/// than pure transport in the same time, and the weighted version conserves mass to rounding.
/// </summary>
public sealed class GaussianFeatureClaimTests(ITestOutputHelper output)
{
    // Target f* = Σ_k φ(·; t_k), t = (−1.2, 0.4, 1.6) (ClaimSetups.BumpTarget); n = 64 features start poorly placed on an
    // even grid over [−3.2, 3.2] with c = 1: most sit where f* = 0, and transport alone must drag them over distances
    // where the overlap exp(−Δz²/(4σ_f²)) with the bumps is tiny. Δt = 0.01, T = 8 (800 steps), α = 20 (α|V − V̄|Δt ≤ 0.3).
    private const int N = 64;
    private const double Dt = 0.01;
    private const int Steps = 800;
    private const double Rate = 20;

    [Fact]
    public void NoiselessFlowDissipatesTheEnergyMonotonically()
    {
        // σ = 0: θ ← θ − Δt ∇V(θ). E(θ − Δt g) = E − Δt Σ_i w_i |∇V(θ_i)|² + O(Δt²): at a small step every step lowers E,
        // and the decrease is Δt Σ w|∇V|² to first order.
        using var energy = ClaimSetups.Evaluator<GaussianFeatures>(reference: ClaimSetups.BumpTarget());
        ParticleSet particles = ClaimSetups.FeatureGrid(N, -3.2, 3.2, 1);
        using var flow = new MeanFieldLangevin(particles, energy, new LangevinOptions { StepSize = Dt, Sigma = 0, MaxSteps = Steps });
        var gradient = particles.Clone();
        double worst = 0;
        for (int k = 0; k < Steps; k++)
        {
            double before = energy.Gradient(particles, gradient, [], 0);
            double rate = 0;
            for (int i = 0; i < N; i++)
            {
                double gc = gradient.Scalar("c")[i];
                double gz = gradient.Vector("z")[i];
                rate += particles.Weights[i] * ((gc * gc) + (gz * gz));
            }

            flow.Step();
            double after = energy.Energy(particles);

            // The observed decrease against the first-order one: their ratio is 1 − ½Δt·gᵀHg/Σw|g|² + O(Δt²), H the Hessian
            // along the step; |∂²K/∂z²| ≤ |c c′|/(2σ_f²) = 12.5|c c′| with |c| and the masses of μ and ν adding to ≲ 4, so
            // |ratio − 1| ≲ ½·0.01·12.5·4 = 0.25 (measured ≤ 0.01). The sign is asserted at every step, the ratio at 0.25.
            double ratio = (before - after) / (Dt * rate);
            worst = Math.Max(worst, Math.Abs(ratio - 1));
            Assert.True(after < before, $"E rose at step {k + 1}: {before:R} → {after:R}");
        }

        IReadOnlyList<GradientFlowProgress> history = flow.EnergyHistory;
        output.WriteLine($"noiseless flow: E(0) {history[0].Loss:R}, E(T) {energy.Energy(particles):R}, worst |decrease/(Δt Σw|∇V|²) − 1| = {worst:G3}");
        Assert.True(worst < 0.25, $"first-order dissipation off by {worst}");
        Assert.True(energy.Energy(particles) < 0.1 * history[0].Loss);
    }

    [Fact]
    public void BirthDeathReachesALowerEnergyThanTransportInTheSameTime()
    {
        using var energy = ClaimSetups.Evaluator<GaussianFeatures>(reference: ClaimSetups.BumpTarget());
        double initial = energy.Energy(ClaimSetups.FeatureGrid(N, -3.2, 3.2, 1));
        double transport = Run(energy, BirthDeathMode.ConstantPopulation, rate: 0, seed: 5, out _);
        double weighted = Run(energy, BirthDeathMode.Weighted, Rate, seed: 5, out _);
        output.WriteLine($"E(0) = {initial:R}; after T = {Steps * Dt}: transport {transport:R}, weighted {weighted:R}");

        // The claim is a clear gap, not a rounding effect: below a third of the transport energy (measured ≈ 1/6 weighted,
        // 1/4.5 … 1/5.6 constant population; specs/particles.md §3.3). The clone/kill jumps are random: each of three
        // seeds must show the gap, with births and deaths both happening.
        Assert.True(weighted < transport / 3, $"weighted {weighted} vs transport {transport}");
        foreach (ulong seed in new ulong[] { 5, 6, 7 })
        {
            double clone = Run(energy, BirthDeathMode.ConstantPopulation, Rate, seed, out BirthDeathDynamics dynamic);
            output.WriteLine($"seed {seed}: constant population {clone:R} ({dynamic.Births} births, {dynamic.Deaths} deaths)");
            Assert.True(clone < transport / 3, $"constant population {clone} vs transport {transport} (seed {seed})");
            Assert.True(dynamic.Births > 0 && dynamic.Deaths > 0);
        }

        Assert.True(transport < initial / 10); // transport itself works, just slower
    }

    [Fact]
    public void WeightedBirthDeathConservesTotalMassToRounding()
    {
        using var energy = ClaimSetups.Evaluator<GaussianFeatures>(reference: ClaimSetups.BumpTarget());
        Run(energy, BirthDeathMode.Weighted, Rate, seed: 5, out BirthDeathDynamics dynamic);
        double mass = ClaimSetups.Mass(dynamic.Particles);
        output.WriteLine($"weighted: |Σw − 1| = {Math.Abs(mass - 1):G3} after {Steps} steps");

        // Each step sums n weights and rescales them to the previous mass: ≈ n rounding errors of ε/2 = 1.1e-16 relative
        // per step, so |M_K − 1| ≤ K·n·ε/2 = 5.7e-12 in the worst case; errors of random sign add like a random walk,
        // √(K·n)·ε/2 ≈ 2.5e-14. The bound 1e-12 is 40× the random walk and still 6× below the worst case.
        Assert.True(Math.Abs(mass - 1) <= 1e-12, $"mass {mass:R}");

        // The weights did move, a lot: the largest is several times the uniform 1/n.
        double largest = 0;
        foreach (double w in dynamic.Particles.Weights)
        {
            largest = Math.Max(largest, w);
        }

        Assert.True(largest > 3.0 / N, $"largest weight {largest}");
    }

    private static double Run(InteractionEvaluator<GaussianFeatures> energy, BirthDeathMode mode, double rate, ulong seed, out BirthDeathDynamics dynamic)
    {
        ParticleSet particles = ClaimSetups.FeatureGrid(N, -3.2, 3.2, 1);
        dynamic = new BirthDeathDynamics(particles, energy, new BirthDeathOptions { StepSize = Dt, Rate = rate, Mode = mode, Seed = seed, MaxSteps = Steps, RecordEvery = 50 });
        GradientFlowResult result = dynamic.Run();
        Assert.Equal(GradientFlowStopReason.MaxSteps, result.Reason);
        Assert.Equal(result.FinalLoss, energy.Energy(particles));
        dynamic.Dispose();
        return result.FinalLoss;
    }
}

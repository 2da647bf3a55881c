using MeanField.Models;
using Xunit.Abstractions;

namespace MeanField.Runtime.Tests.Claims;

/// <summary>
/// Claim 5 (specs/particles.md §6): mean-field Langevin with the Random Batch Method (Jin–Li–Liu 2020) stays within its
/// derived error bound of the exact dynamics driven by the same noise, and a step costs O(n) kernel evaluations.
/// </summary>
public sealed class RandomBatchClaimTests(ITestOutputHelper output)
{
    [Fact]
    public void RandomBatchTrajectoryStaysWithinItsErrorBoundOfTheExactOne()
    {
        // QuadraticInteraction (a = b = κ = 1), σ = s = 1, n = 500, p = 10 (50 equal batches), τ = Δt = 0.02, T = 10.
        // Both runs start from the same particles and use the same Langevin seed, so the noise cancels in the difference
        // e_i = x̃_i − x_i (synchronous coupling, as in Jin–Li–Liu). §6 derives, for this linear model,
        //   e_i ← (1 − λτ) e_i + τκē − τ χ_i,  λ = a + κ + σ²/(2s²) = 2.5,  Σ_i χ_i = 0 (any batch sizes), so ē = 0,
        //   E[|χ_i|² | state] ≤ Λ̄ = κ² v_max (n − 1)²/(n(n − 2)) (1/(p − 1) − 1/(n − 1))   (v_max: the largest empirical
        //   variance of the Random Batch state along the run), χ a martingale difference (a fresh partition per step), so
        //   E R_K² ≤ B_K² = τ² Λ̄ (1 − r^{2K})/(1 − r²), r = 1 − λτ,  R = √((1/n) Σ e_i²),
        // and B_K ≤ √(T τ Λ̄) (Jin–Li–Liu's finite-time form) and ≤ √(τ Λ̄/(λ(2 − λτ))) (their uniform-in-time form).
        // R² is an average over 500 particles (batch-correlated in tens): its relative spread is ≈ √(2/50) = 0.2, so R stays
        // below 1.5 B (C = 1.5 ≈ 5 spreads on R²) and, the bound's only slack being v ≤ v_max, above 0.5 B at the end.
        // Energy: with ē = 0, E(x + e) − E(x) = (1/n) Σ ∇V(x_i) e_i + ½(a + κ) R², so
        //   D = |E(x̃) − E(x)| ≤ G·1.5B + ½(a + κ)(1.5B)²,  G = √((1/n) Σ |∇V(x_i)|²) of the exact state (Cauchy–Schwarz:
        //   loose by ≈ √n when the e_i are uncorrelated with ∇V; the trajectory bound on R is the tight one).
        const int n = 500;
        const int p = 10;
        const double tau = 0.02;
        const int steps = 500;
        const double a = QuadraticInteraction.A;
        const double b = QuadraticInteraction.B;
        const double kappa = QuadraticInteraction.Kappa;
        double lambda = a + kappa + 0.5;
        double r = 1 - (lambda * tau);
        using var exactEnergy = ClaimSetups.Evaluator<QuadraticInteraction>();
        using var batchEnergy = ClaimSetups.Evaluator<QuadraticInteraction>(batchSize: p, seed: 17);
        using var judge = ClaimSetups.Evaluator<QuadraticInteraction>(); // exact energies of both states
        var options = new LangevinOptions { StepSize = tau, Sigma = 1, ReferenceStd = 1, Seed = 21, MaxSteps = steps };
        using var exact = new MeanFieldLangevin(ClaimSetups.Scalars<QuadraticInteraction>(n, 5, -1, 0.5), exactEnergy, options);
        using var batched = new MeanFieldLangevin(ClaimSetups.Scalars<QuadraticInteraction>(n, 5, -1, 0.5), batchEnergy, options);
        double vMax = Variance(batched.Particles.Scalar("x"));
        double worstR = 0;
        double worstD = 0;
        double bound = 0;
        double radius = 0;
        for (int k = 1; k <= steps; k++)
        {
            exact.Step();
            batched.Step();
            ReadOnlySpan<double> x = exact.Particles.Scalar("x");
            ReadOnlySpan<double> y = batched.Particles.Scalar("x");
            vMax = Math.Max(vMax, Variance(y));
            double lambdaBar = kappa * kappa * vMax * (n - 1.0) * (n - 1.0) / (n * (n - 2.0)) * ((1.0 / (p - 1)) - (1.0 / (n - 1)));
            bound = Math.Sqrt(tau * tau * lambdaBar * (1 - Math.Pow(r, 2 * k)) / (1 - (r * r)));
            Assert.True(bound <= Math.Sqrt(k * tau * tau * lambdaBar) * (1 + 1e-12)); // the √(TτΛ̄) form

            double squares = 0;
            double mean = Mean(x);
            double g2 = 0;
            for (int i = 0; i < n; i++)
            {
                squares += (y[i] - x[i]) * (y[i] - x[i]);
                double g = (a * (x[i] - b)) + (kappa * (x[i] - mean));
                g2 += g * g;
            }

            radius = Math.Sqrt(squares / n);
            double d = Math.Abs(judge.Energy(batched.Particles) - judge.Energy(exact.Particles));
            double energyBound = (Math.Sqrt(g2 / n) * 1.5 * bound) + (0.5 * (a + kappa) * 2.25 * bound * bound);
            worstR = Math.Max(worstR, radius / bound);
            worstD = Math.Max(worstD, d / energyBound);
            Assert.True(radius <= 1.5 * bound, $"step {k}: R = {radius} above 1.5·B = {1.5 * bound}");
            Assert.True(d <= energyBound, $"step {k}: |ΔE| = {d} above its bound {energyBound}");
        }

        output.WriteLine($"R(T) = {radius:G4}, B(T) = {bound:G4} (R/B {radius / bound:G3}; worst R/B {worstR:G3}), worst D/bound {worstD:G3}, v_max {vMax:G4}");
        Assert.True(radius >= 0.5 * bound, $"R(T)/B(T) = {radius / bound}: the bound is far from tight (or the batches interact too little)");
    }

    [Fact]
    public void RandomBatchStepCostsOrderNKernelEvaluations()
    {
        // Counts, not timings. One Langevin step = one Gradient call. Exact: each unordered pair once (K is symmetric),
        // the 64 × 64 diagonal blocks whole, (n² + Σ_t c_t²)/2 for tiles of c_t points (specs/performance.md §3.1), + n·m
        // with m reference points; Random Batch with p | n: n/p batches of p², plus one self-pair correction per
        // particle: n·p + n (+ n·m). Generated QuadraticInteraction (no reference) and ArcCosineKernel against the
        // 3-unit teacher (m = 3), p = 10.
        foreach (int n in new[] { 100, 200, 400, 800 })
        {
            Assert.Equal(ExactPairs(n), PerStep<QuadraticInteraction>(n, 0, null));
            Assert.Equal((long)n * (10 + 1), PerStep<QuadraticInteraction>(n, 10, null));
            Assert.Equal(ExactPairs(n) + (3L * n), PerStep<ArcCosineKernel>(n, 0, ClaimSetups.Teacher()));
            Assert.Equal((long)n * (10 + 1 + 3), PerStep<ArcCosineKernel>(n, 10, ClaimSetups.Teacher()));
        }

        // Linear in n: doubling n doubles the Random Batch count exactly; the exact count is quadratic, by hand at n = 400
        // (6 tiles of 64 and one of 16): (400² + 6·64² + 16²)/2.
        Assert.Equal(2 * PerStep<QuadraticInteraction>(400, 10, null), PerStep<QuadraticInteraction>(800, 10, null));
        Assert.Equal(92_416, PerStep<QuadraticInteraction>(400, 0, null));
        output.WriteLine($"n = 800: exact {PerStep<QuadraticInteraction>(800, 0, null)}, Random Batch p = 10: {PerStep<QuadraticInteraction>(800, 10, null)} kernel evaluations per step");
    }

    /// <summary>(n² + Σ_t c_t²)/2 over the 64-point tiles of n points.</summary>
    private static long ExactPairs(int n)
    {
        long diagonal = ((long)(n / 64) * 64 * 64) + ((long)(n % 64) * (n % 64));
        return (((long)n * n) - diagonal) / 2 + diagonal;
    }

    /// <summary>Kernel evaluations in each of three Langevin steps (asserted equal), after the constructor's evaluation.</summary>
    private static long PerStep<TModel>(int n, int batchSize, ParticleSet? reference)
        where TModel : struct, IInteractionModel<TModel>
    {
        using var energy = ClaimSetups.Evaluator<TModel>(batchSize: batchSize, seed: 3, reference: reference);
        var particles = ParticleSet.Create(ClaimSetups.LayoutOf<TModel>(), n, reference?.Dimension ?? 1);
        particles.InitializeGaussian(7, 1.0);
        using var dynamic = new MeanFieldLangevin(particles, energy, new LangevinOptions { StepSize = 0.01, Sigma = 0.1, Seed = 1 });
        long[] counts = new long[3];
        for (int k = 0; k < 3; k++)
        {
            long before = energy.KernelEvaluations;
            dynamic.Step();
            counts[k] = energy.KernelEvaluations - before;
        }

        Assert.Equal(counts[0], counts[1]);
        Assert.Equal(counts[0], counts[2]);
        return counts[0];
    }

    private static double Mean(ReadOnlySpan<double> x)
    {
        double sum = 0;
        foreach (double v in x)
        {
            sum += v;
        }

        return sum / x.Length;
    }

    private static double Variance(ReadOnlySpan<double> x)
    {
        double mean = Mean(x);
        double sum = 0;
        foreach (double v in x)
        {
            sum += (v - mean) * (v - mean);
        }

        return sum / x.Length;
    }
}

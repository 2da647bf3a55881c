using Xunit.Abstractions;

namespace MeanField.Runtime.Tests.Dynamics;

/// <summary>
/// The long-time law of mean-field Langevin is the Gibbs measure m* ∝ exp(−(2/σ²) δF/δm(m*, ·)) g (Hu–Ren–Šiška–Szpruch
/// 2019, Theorem 2.11); specs/particles.md §2.4 derives the two closed forms checked here and the tolerances.
/// </summary>
public sealed class LangevinGibbsTests(ITestOutputHelper output)
{
    // n = 2000 particles, Δt = 0.01, burn-in 6 time units (e^(−λ·6) ≤ e^(−9) of the initial offset left), then time
    // averages over 10 time units sampled every 5 steps. Cost: 1600 steps of O(n) — a fraction of a second.
    private const int N = 2000;
    private const double Dt = 0.01;
    private const int BurnIn = 600;
    private const int Averaged = 1000;

    [Fact]
    public void WithoutInteractionTheLawIsTheGaussianOfVarianceSigmaSquaredOver2aPlusSigmaSquaredOverS2()
    {
        // F(m) = ∫ ½a|θ|² dm, σ = 1, s = 1, a = 1: m* = N(0, σ²/(2a + σ²/s²)) = N(0, 1/3); λ = a + σ²/(2s²) = 1.5.
        const double A = 1.0;
        const double Sigma = 1.0;
        const double S = 1.0;
        double variance = Sigma * Sigma / ((2 * A) + (Sigma * Sigma / (S * S)));
        double lambda = A + (Sigma * Sigma / (2 * S * S));
        var moments = Sample(new QuadraticEnergy(A, 0, 0), Sigma, S, seed: 11, start: 2.0, out var dynamic, entropyEvery: BurnIn + Averaged);

        output.WriteLine($"no interaction: mean {moments.Mean:R}, variance {moments.Variance:R} (Gibbs {variance:R}), TV {moments.TotalVariation(0, variance):R}, KL estimate {dynamic.ObjectiveHistory[^1].RelativeEntropy:R}");

        // Euler–Maruyama on the OU process θ' = −λθ + σξ: the chain's stationary variance is σ²/(2λ)·1/(1 − λΔt/2),
        // a relative bias of λΔt/2 = 0.75 %. Monte-Carlo: the time average over T = 10 of n = 2000 particles has about
        // n·T·λ = 30 000 effective samples for θ² (integrated autocorrelation 1/λ) and n·T·λ/2 = 15 000 for θ:
        // std(mean) ≈ √(v/15 000) = 0.0047, relative std(variance) ≈ √(2/30 000) = 0.008. Tolerances: 4 std (+ bias).
        Assert.InRange(moments.Mean, -0.02, 0.02);
        Assert.InRange(moments.Variance / variance, 1 - 0.04, 1 + (lambda * Dt / 2) + 0.04);

        // TV on 30 bins over [−2, 3] (beyond ±3.4 std): multinomial noise ½ Σ √(2p_b/(π N_eff)) ≈ 0.013 at N_eff = 30 000 (Σ √p_b ≤ √30),
        // the variance bias moves it by ≈ 0.002: 0.03 is about 2× the expected value.
        Assert.True(moments.TotalVariation(0, variance) < 0.03, $"TV {moments.TotalVariation(0, variance)}");

        // The reported KL(m | g) at the end against the closed form ½(v/s² − 1 − log(v/s²)) for m = N(0, v), g = N(0, s²):
        // Kozachenko–Leonenko's standard deviation ≈ √(π²/6 / n) = 0.029 nats at n = 2000 (the variance of log of an
        // exponential nearest-neighbour volume), bias O(1/n); tolerance 0.1 nats ≈ 3.5 std.
        double kl = 0.5 * ((variance / (S * S)) - 1 - Math.Log(variance / (S * S)));
        LangevinProgress last = dynamic.ObjectiveHistory[^1];
        Assert.Equal(BurnIn + Averaged, last.Step);
        Assert.InRange(last.RelativeEntropy, kl - 0.1, kl + 0.1);
        Assert.Equal(last.Energy + (0.5 * Sigma * Sigma * last.RelativeEntropy), last.Objective, 12);
    }

    [Fact]
    public void WithQuadraticInteractionTheLawIsTheSelfConsistentGaussian()
    {
        // F(m) = ∫ ½a|θ − b|² dm + ½∬ (κ/2)|θ − θ′|² dm dm, a = 1, b = 1, κ = 1, σ = 1, s = 1:
        // precision (2/σ²)(a + κ) + 1/s² = 5, mean ab/(a + σ²/(2s²)) = 2/3 (specs/particles.md §2.4).
        const double A = 1.0;
        const double B = 1.0;
        const double Kappa = 1.0;
        const double Sigma = 1.0;
        const double S = 1.0;
        double variance = 1 / ((2 / (Sigma * Sigma) * (A + Kappa)) + (1 / (S * S)));
        double mean = A * B / (A + (Sigma * Sigma / (2 * S * S)));
        double lambda = A + Kappa + (Sigma * Sigma / (2 * S * S)); // relaxation rate of a particle about the mean: 2.5
        var moments = Sample(new QuadraticEnergy(A, B, Kappa), Sigma, S, seed: 12, start: -1.0, out _, entropyEvery: 0);

        output.WriteLine($"quadratic interaction: mean {moments.Mean:R} (Gibbs {mean:R}), variance {moments.Variance:R} (Gibbs {variance:R}), TV {moments.TotalVariation(mean, variance):R}");

        // The mean relaxes at rate a + σ²/(2s²) = 1.5 (e^(−9) left after burn-in); fluctuations of the empirical mean are
        // O(σ/√n) = 0.02 but averaged over T = 10 (≈ 15 independent values): std ≈ 0.006 for the mean. The variance has
        // ≈ n·T·λ = 50 000 effective samples (relative std 0.0063) and the time-step bias λΔt/2 = 1.25 %.
        Assert.InRange(moments.Mean, mean - 0.03, mean + 0.03);
        Assert.InRange(moments.Variance / variance, 1 - 0.035, 1 + (lambda * Dt / 2) + 0.035);
        Assert.True(moments.TotalVariation(mean, variance) < 0.03, $"TV {moments.TotalVariation(mean, variance)}");
    }

    private static GibbsMoments Sample(QuadraticEnergy energy, double sigma, double s, ulong seed, double start, out MeanFieldLangevin dynamic, int entropyEvery)
    {
        ParticleSet particles = QuadraticEnergy.Particles(N, 1, seed, start, 0.5);
        dynamic = new MeanFieldLangevin(particles, energy, new LangevinOptions
        {
            StepSize = Dt, Sigma = sigma, ReferenceStd = s, Seed = seed, MaxSteps = 0, EntropyEvery = entropyEvery,
            RecordEvery = entropyEvery > 0 ? entropyEvery : 100,
        });
        for (int k = 0; k < BurnIn; k++)
        {
            dynamic.Step();
        }

        var moments = new GibbsMoments(-2, 3, 30);
        for (int k = 0; k < Averaged; k++)
        {
            dynamic.Step();
            if (k % 5 == 4)
            {
                moments.Add(dynamic.Particles);
            }
        }

        // Record the final state (and its entropy estimate): a Run of MaxSteps = 0 takes no step and records step BurnIn + Averaged.
        dynamic.Run();
        dynamic.Dispose();
        return moments;
    }
}

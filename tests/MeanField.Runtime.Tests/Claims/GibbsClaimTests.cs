using Xunit.Abstractions;

namespace MeanField.Runtime.Tests.Claims;

/// <summary>
/// Claim 1: the long-time law of mean-field Langevin is the Gibbs measure m* ∝ exp(−(2/σ²) δF/δm(m*, ·)) g
/// (Hu–Ren–Šiška–Szpruch 2019, Theorem 2.11), on two generated models with closed forms derived in specs/particles.md §2.4.
/// </summary>
public sealed class GibbsClaimTests(ITestOutputHelper output)
{
    // n = 500 particles, Δt = 0.02, T = 40: burn-in 6 time units (the slowest rate, that of the mean, is
    // a + σ²/(2s²) = 1.5: e^(−9) of the initial offset is left), then time averages over the remaining 34 time units,
    // sampled every 5 steps (0.1 time units, well inside the autocorrelation times 1/λ ≥ 0.4).
    private const int N = 500;
    private const double Dt = 0.02;
    private const int BurnIn = 300;
    private const int Averaged = 1700;
    private const double AveragedTime = Averaged * Dt;
    private const double Sigma = 1.0;
    private const double S = 1.0;

    [Fact]
    public void HarmonicWellLawIsTheGaussianOfVarianceSigmaSquaredOver2aPlusSigmaSquaredOverS2()
    {
        // δF/δm = ½a x²: m* ∝ exp(−(2/σ²)·½a x²)·exp(−x²/(2s²)) = N(0, σ²/(2a + σ²/s²)) = N(0, 1/3) for a = σ = s = 1.
        const double a = HarmonicWell.A;
        double variance = Sigma * Sigma / ((2 * a) + (Sigma * Sigma / (S * S)));
        double lambda = a + (Sigma * Sigma / (2 * S * S)); // the OU rate of every particle: 1.5
        using var energy = ClaimSetups.Evaluator<HarmonicWell>();
        var moments = Sample(energy, seed: 11, start: 2.0, out LangevinProgress last);
        double tv = moments.TotalVariation(0, variance);
        double kl = 0.5 * ((variance / (S * S)) - 1 - Math.Log(variance / (S * S)));
        output.WriteLine($"harmonic well: mean {moments.Mean:R}, variance {moments.Variance:R} (Gibbs {variance:R}), TV {tv:R}, KL estimate {last.RelativeEntropy:R} (closed form {kl:R})");

        // Time step: Euler–Maruyama on θ' = −λθ + σξ has stationary variance (σ²/(2λ))/(1 − λΔt/2), +1.5 % here.
        // Monte-Carlo: ≈ n·T·λ = 25 500 effective samples for θ² (integrated autocorrelation 1/λ), n·T·λ/2 = 12 750 for θ:
        // std(mean) = √(v/12 750) = 0.0051, relative std(variance) = √(2/25 500) = 0.0089. Tolerances: 4 std (+ the bias).
        AssertMoments(moments, 0, variance, lambda, meanStd: Math.Sqrt(variance / (N * AveragedTime * lambda / 2)), varianceStd: Math.Sqrt(2 / (N * AveragedTime * lambda)));
        AssertHistogram(moments, 0, variance, lambda, tv);

        // The reported KL(m | g) at the end against ½(v/s² − 1 − log(v/s²)) for m = N(0, v), g = N(0, s²): the
        // Kozachenko–Leonenko estimate's std is √(π²/6/n) = 0.057 nats at n = 500 (bias O(1/n)); tolerance 0.2 ≈ 3.5 std.
        Assert.Equal(BurnIn + Averaged, last.Step);
        Assert.InRange(last.RelativeEntropy, kl - 0.2, kl + 0.2);
        Assert.Equal(last.Energy + (0.5 * Sigma * Sigma * last.RelativeEntropy), last.Objective, 12);
    }

    [Fact]
    public void QuadraticInteractionLawIsTheSelfConsistentGaussian()
    {
        // δF/δm(m, x) = ½a(x − b)² + (κ/2)(x − m̄)² + const: m* is Gaussian with precision P = (2/σ²)(a + κ) + 1/s² = 5
        // and mean m̄ = a b/(a + σ²/(2s²)) = 2/3 (the self-consistent solution; specs/particles.md §2.4).
        const double a = QuadraticInteraction.A;
        const double b = QuadraticInteraction.B;
        const double kappa = QuadraticInteraction.Kappa;
        double variance = 1 / ((2 / (Sigma * Sigma) * (a + kappa)) + (1 / (S * S)));
        double mean = a * b / (a + (Sigma * Sigma / (2 * S * S)));
        double lambda = a + kappa + (Sigma * Sigma / (2 * S * S)); // a particle's rate about the mean: 2.5
        double meanRate = a + (Sigma * Sigma / (2 * S * S));        // the empirical mean's rate: 1.5
        using var energy = ClaimSetups.Evaluator<QuadraticInteraction>();
        var moments = Sample(energy, seed: 12, start: -1.0, out _);
        double tv = moments.TotalVariation(mean, variance);
        output.WriteLine($"quadratic interaction: mean {moments.Mean:R} (Gibbs {mean:R}), variance {moments.Variance:R} (Gibbs {variance:R}), TV {tv:R}");

        // The mean: the empirical mean m̄ is an OU process of rate 1.5 driven by noise σ/√n, stationary variance
        // σ²/(2·1.5·n) = 6.7e-4; averaged over T = 34 with integrated autocorrelation 2/1.5: ≈ 25 independent values,
        // std 0.0051 (its fixed point has no time-step bias: the recursion is linear). The variance: n·T·λ = 42 500
        // effective samples (relative std 0.0069) and the time-step bias λΔt/2 = 2.5 %.
        double meanStd = Math.Sqrt(Sigma * Sigma / (2 * meanRate * N) / (AveragedTime * meanRate / 2));
        AssertMoments(moments, mean, variance, lambda, meanStd, varianceStd: Math.Sqrt(2 / (N * AveragedTime * lambda)));
        AssertHistogram(moments, mean, variance, lambda, tv);
    }

    private static void AssertMoments(GibbsMoments moments, double mean, double variance, double lambda, double meanStd, double varianceStd)
    {
        Assert.InRange(moments.Mean, mean - (4 * meanStd), mean + (4 * meanStd));
        double bias = (1 / (1 - (lambda * Dt / 2))) - 1;
        Assert.InRange(moments.Variance / variance, 1 - (4 * varianceStd), 1 + bias + (4 * varianceStd));
    }

    /// <summary>
    /// TV distance on 30 bins over [−2, 3] (≥ 3.4 std on each side of both laws). Multinomial noise: E|p̂_b − p_b| ≈
    /// √(2p_b(1 − p_b)/(π N_eff)) with the conservative N_eff = n·T·λ/2; the time-step bias moves the histogram by the TV
    /// between N(mean, v(1 + λΔt/2)) and N(mean, v) over the same bins. Tolerance: that bias + 3× the expected noise.
    /// </summary>
    private static void AssertHistogram(GibbsMoments moments, double mean, double variance, double lambda, double tv)
    {
        double effective = N * AveragedTime * lambda / 2;
        double noise = 0;
        double bias = 0;
        double biased = variance / (1 - (lambda * Dt / 2));
        for (int bin = 0; bin < 30; bin++)
        {
            double lo = -2 + (bin / 6.0);
            double hi = -2 + ((bin + 1) / 6.0);
            double p = Cell(lo, hi, mean, variance);
            noise += 0.5 * Math.Sqrt(2 * p * (1 - p) / (Math.PI * effective));
            bias += 0.5 * Math.Abs(Cell(lo, hi, mean, biased) - p);
        }

        Assert.True(tv < bias + (3 * noise), $"TV {tv} against a tolerance of {bias + (3 * noise)} (bias {bias}, expected noise {noise})");
    }

    private static double Cell(double lo, double hi, double mean, double variance) =>
        GibbsMoments.NormalCdf((hi - mean) / Math.Sqrt(variance)) - GibbsMoments.NormalCdf((lo - mean) / Math.Sqrt(variance));

    private static GibbsMoments Sample<TModel>(InteractionEvaluator<TModel> energy, ulong seed, double start, out LangevinProgress last)
        where TModel : struct, IInteractionModel<TModel>
    {
        ParticleSet particles = ClaimSetups.Scalars<TModel>(N, seed, start, 0.5);
        using var dynamic = new MeanFieldLangevin(particles, energy, new LangevinOptions
        {
            StepSize = Dt, Sigma = Sigma, ReferenceStd = S, Seed = seed, MaxSteps = 0,
            EntropyEvery = BurnIn + Averaged, RecordEvery = BurnIn + Averaged,
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

        // A Run of MaxSteps = 0 takes no step and records the final state (step BurnIn + Averaged) with its entropy estimate.
        dynamic.Run();
        last = dynamic.ObjectiveHistory[^1];
        return moments;
    }
}

using System.Diagnostics;
using MeanField;

namespace LangevinSample;

/// <summary>The sample's result: settings, closed form, measurements (the payload of <c>langevin.json</c>).</summary>
public sealed record LangevinResult
{
    /// <summary>n, the number of particles.</summary>
    public int Particles { get; init; }

    /// <summary>Steps of Euler–Maruyama.</summary>
    public int Steps { get; init; }

    /// <summary>Steps before the time averages start.</summary>
    public int BurnInSteps { get; init; }

    /// <summary>The moments and the histogram are sampled every this many steps after the burn-in.</summary>
    public int SampleEvery { get; init; }

    /// <summary>Δt.</summary>
    public double StepSize { get; init; }

    /// <summary>σ, the noise.</summary>
    public double Sigma { get; init; }

    /// <summary>s, the standard deviation of the reference measure N(0, s²).</summary>
    public double ReferenceStd { get; init; }

    /// <summary>a, b and κ of <see cref="QuadraticAttraction"/>.</summary>
    public double[] Model { get; init; } = [];

    /// <summary>The seed of the noise.</summary>
    public ulong Seed { get; init; }

    /// <summary>Threads of the evaluator.</summary>
    public int Threads { get; init; }

    /// <summary>Wall-clock seconds of the run.</summary>
    public double Seconds { get; init; }

    /// <summary>Mean of the Gibbs measure, ab/(a + σ²/(2s²)).</summary>
    public double GibbsMean { get; init; }

    /// <summary>Variance of the Gibbs measure, 1/((2/σ²)(a + κ) + 1/s²).</summary>
    public double GibbsVariance { get; init; }

    /// <summary>Time-averaged mean of the particles after the burn-in.</summary>
    public double MeasuredMean { get; init; }

    /// <summary>Time-averaged variance of the particles after the burn-in (pooled over the samples).</summary>
    public double MeasuredVariance { get; init; }

    /// <summary>Total variation between the pooled histogram and the Gibbs law on the same bins (mass outside counted).</summary>
    public double TotalVariation { get; init; }

    /// <summary>F at the end.</summary>
    public double FinalEnergy { get; init; }

    /// <summary>Histogram bin edges (one more than <see cref="HistogramDensity"/>).</summary>
    public double[] HistogramEdges { get; init; } = [];

    /// <summary>Density of the pooled particle positions in each bin.</summary>
    public double[] HistogramDensity { get; init; } = [];
}

/// <summary>
/// Mean-field Langevin on <see cref="QuadraticAttraction"/> (a = b = κ = 1, σ = s = 1): n particles from N(−1, 0.5²) run
/// <c>Steps</c> Euler–Maruyama steps of Δt = 0.01; the law tends to the Gibbs measure N(2/3, 0.2). After a burn-in of
/// 3/8 of the steps, the positions are sampled every 5 steps and pooled into a mean, a variance and a histogram.
/// </summary>
public static class LangevinProblem
{
    /// <summary>Particles of the sample.</summary>
    public const int Particles = 1000;

    /// <summary>Steps of the sample (T = 16).</summary>
    public const int Steps = 1600;

    /// <summary>Δt.</summary>
    public const double StepSize = 0.01;

    /// <summary>σ.</summary>
    public const double Sigma = 1.0;

    /// <summary>s.</summary>
    public const double ReferenceStd = 1.0;

    /// <summary>The sampling interval after the burn-in.</summary>
    public const int SampleEvery = 5;

    /// <summary>Bins of the histogram (over the Gibbs mean ± 4 standard deviations).</summary>
    public const int Bins = 40;

    /// <summary>ab/(a + σ²/(2s²)).</summary>
    public static double GibbsMean => QuadraticAttraction.A * QuadraticAttraction.B / (QuadraticAttraction.A + (Sigma * Sigma / (2 * ReferenceStd * ReferenceStd)));

    /// <summary>1/((2/σ²)(a + κ) + 1/s²).</summary>
    public static double GibbsVariance => 1 / ((2 / (Sigma * Sigma) * (QuadraticAttraction.A + QuadraticAttraction.Kappa)) + (1 / (ReferenceStd * ReferenceStd)));

    /// <summary>The Gibbs density N(<see cref="GibbsMean"/>, <see cref="GibbsVariance"/>) at x.</summary>
    /// <param name="x">The point.</param>
    public static double GibbsDensity(double x)
        => Math.Exp(-(x - GibbsMean) * (x - GibbsMean) / (2 * GibbsVariance)) / Math.Sqrt(2 * Math.PI * GibbsVariance);

    /// <summary>Runs the dynamic and measures the law.</summary>
    /// <param name="particles">n ≥ 2.</param>
    /// <param name="steps">Steps (≥ 8).</param>
    /// <param name="threads">Threads of the evaluator.</param>
    /// <param name="seed">Seed of the initial positions and the noise.</param>
    /// <param name="progress">Told (steps done, F) after every step; may be null.</param>
    public static LangevinResult Run(int particles, int steps, int threads, ulong seed, Action<int, double>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(particles, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 8);
        int burnIn = steps * 3 / 8;
        var clock = Stopwatch.StartNew();
        var set = ParticleSet.Create(LayoutOf<QuadraticAttraction>(), particles, dimension: 1);
        set.InitializeGaussian("x", seed, mean: -1, std: 0.5);
        using var energy = new InteractionEvaluator<QuadraticAttraction>(new InteractionEvaluatorOptions { ThreadCount = threads });
        using var langevin = new MeanFieldLangevin(set, energy, new LangevinOptions
        {
            StepSize = StepSize,
            Sigma = Sigma,
            ReferenceStd = ReferenceStd,
            Seed = seed,
            MaxSteps = steps,
            RecordEvery = Math.Max(1, steps / 100),
        });

        double sd = Math.Sqrt(GibbsVariance);
        double low = GibbsMean - (4 * sd), high = GibbsMean + (4 * sd);
        var counts = new long[Bins];
        long outside = 0, samples = 0;
        double sum = 0, squares = 0;
        double current = langevin.Energy();
        progress?.Invoke(0, current);
        for (int k = 1; k <= steps; k++)
        {
            langevin.Step();
            if (k > burnIn && (k - burnIn) % SampleEvery == 0)
            {
                foreach (double x in set.Scalar(0))
                {
                    sum += x;
                    squares += x * x;
                    samples++;
                    int bin = (int)Math.Floor((x - low) / (high - low) * Bins);
                    if (bin is >= 0 and < Bins)
                    {
                        counts[bin]++;
                    }
                    else
                    {
                        outside++;
                    }
                }
            }

            if (progress is not null)
            {
                progress(k, langevin.Energy());
            }
        }

        double final = langevin.Energy();
        clock.Stop();
        double mean = sum / samples;
        double width = (high - low) / Bins;
        var edges = new double[Bins + 1];
        var density = new double[Bins];
        double tv = 0, inside = 0;
        for (int b = 0; b <= Bins; b++)
        {
            edges[b] = low + (b * width);
        }

        for (int b = 0; b < Bins; b++)
        {
            density[b] = counts[b] / (double)samples / width;
            double p = NormalCdf((edges[b + 1] - GibbsMean) / sd) - NormalCdf((edges[b] - GibbsMean) / sd);
            tv += Math.Abs((counts[b] / (double)samples) - p);
            inside += p;
        }

        tv = 0.5 * (tv + Math.Abs((outside / (double)samples) - (1 - inside)));
        return new LangevinResult
        {
            Particles = particles,
            Steps = steps,
            BurnInSteps = burnIn,
            SampleEvery = SampleEvery,
            StepSize = StepSize,
            Sigma = Sigma,
            ReferenceStd = ReferenceStd,
            Model = [QuadraticAttraction.A, QuadraticAttraction.B, QuadraticAttraction.Kappa],
            Seed = seed,
            Threads = threads,
            Seconds = clock.Elapsed.TotalSeconds,
            GibbsMean = GibbsMean,
            GibbsVariance = GibbsVariance,
            MeasuredMean = mean,
            MeasuredVariance = (squares / samples) - (mean * mean),
            TotalVariation = tv,
            FinalEnergy = final,
            HistogramEdges = edges,
            HistogramDensity = density,
        };
    }

    private static InteractionLayout LayoutOf<T>()
        where T : struct, IInteractionModel<T> => T.Layout;

    // Φ(z) = ½ erfc(−z/√2), erfc by the Numerical Recipes Chebyshev fit (relative error < 1.2e-7).
    private static double NormalCdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    private static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + (0.5 * z));
        double[] c = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
        double poly = 0;
        for (int k = c.Length - 1; k >= 0; k--)
        {
            poly = (poly * t) + c[k];
        }

        double r = t * Math.Exp(-(z * z) + poly);
        return x >= 0 ? r : 2 - r;
    }
}

namespace MeanField.Runtime.Tests.Claims;

/// <summary>Time-averaged mean, variance and histogram of the first scalar parameter of every particle, sampled every few steps.</summary>
internal sealed class GibbsMoments(double low, double high, int bins)
{
    private readonly long[] _counts = new long[bins];
    private double _sum;
    private double _squares;
    private long _samples;
    private long _outside;

    public void Add(ParticleSet particles)
    {
        ReadOnlySpan<double> x = particles.Scalar(0);
        for (int i = 0; i < particles.Count; i++)
        {
            double v = x[i];
            _sum += v;
            _squares += v * v;
            _samples++;
            int bin = (int)Math.Floor((v - low) / (high - low) * bins);
            if (bin >= 0 && bin < bins)
            {
                _counts[bin]++;
            }
            else
            {
                _outside++;
            }
        }
    }

    public double Mean => _sum / _samples;

    public double Variance => (_squares / _samples) - (Mean * Mean);

    /// <summary>½ Σ_b |p̂_b − p_b| over the bins, plus ½ the difference of the mass outside them, against N(mean, variance).</summary>
    public double TotalVariation(double mean, double variance)
    {
        double std = Math.Sqrt(variance);
        double width = (high - low) / _counts.Length;
        double distance = 0;
        double inside = 0;
        for (int b = 0; b < _counts.Length; b++)
        {
            double p = NormalCdf((low + ((b + 1) * width) - mean) / std) - NormalCdf((low + (b * width) - mean) / std);
            inside += p;
            distance += Math.Abs(((double)_counts[b] / _samples) - p);
        }

        distance += Math.Abs(((double)_outside / _samples) - (1 - inside));
        return 0.5 * distance;
    }

    /// <summary>Φ(x) by the complementary error function of Numerical Recipes (erfc, fractional error below 1.2e-7).</summary>
    public static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    private static double Erfc(double x)
    {
        ReadOnlySpan<double> coefficients = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
        double z = Math.Abs(x);
        double t = 1 / (1 + (0.5 * z));
        double poly = 0;
        for (int k = coefficients.Length - 1; k >= 0; k--)
        {
            poly = coefficients[k] + (t * poly);
        }

        double r = t * Math.Exp(-(z * z) + poly);
        return x >= 0 ? r : 2 - r;
    }
}

namespace MeanField;

/// <summary>
/// The Kozachenko–Leonenko nearest-neighbour estimate of the differential entropy H(m) = −∫ m log m of the law m
/// of n equally weighted particles in R^D (D = S + V·d, every scalar and vector component of a particle):
/// Ĥ = ψ(n) − ψ(1) + log v_D + (D/n) Σ_i log ε_i, where ε_i is the Euclidean distance from θ_i to its nearest other
/// particle, v_D = π^(D/2)/Γ(D/2 + 1) the volume of the unit ball, and ψ(n) − ψ(1) = Σ_{j&lt;n} 1/j
/// (Kozachenko–Leonenko 1987; Kraskov–Stögbauer–Grassberger 2004, eq. 20 with k = 1). Exact O(n²·D) search.
/// </summary>
/// <remarks>Asymptotically unbiased and consistent for bounded, continuous densities; for n = 2000 in one dimension its
/// standard deviation is about 0.03 nats (see specs/particles.md §2.3). Coincident particles give ε_i = 0 and Ĥ = −∞.</remarks>
internal sealed class EntropyEstimator
{
    private readonly double[] _packed;
    private readonly int _count;
    private readonly int _width;
    private readonly double _constant;

    /// <param name="count">n ≥ 2.</param>
    /// <param name="width">D ≥ 1, the values per particle.</param>
    public EntropyEstimator(int count, int width)
    {
        _count = count;
        _width = width;
        _packed = new double[checked(count * width)];
        double harmonic = 0;
        for (int j = 1; j < count; j++)
        {
            harmonic += 1.0 / j;
        }

        _constant = harmonic + LogUnitBallVolume(width);
    }

    /// <summary>log v_D = (D/2) log π − log Γ(D/2 + 1), with Γ at integers and half-integers by its recurrence.</summary>
    public static double LogUnitBallVolume(int dimension)
    {
        // Γ(1) = 1, Γ(3/2) = √π/2, Γ(x + 1) = x Γ(x).
        double x = dimension % 2 == 0 ? 1.0 : 1.5;
        double logGamma = dimension % 2 == 0 ? 0.0 : Math.Log(Math.Sqrt(Math.PI) / 2);
        double target = (dimension / 2.0) + 1;
        while (x < target)
        {
            logGamma += Math.Log(x);
            x += 1;
        }

        return (dimension / 2.0 * Math.Log(Math.PI)) - logGamma;
    }

    /// <summary>Ĥ of the particles, and their mean squared norm (1/n) Σ_i |θ_i|² (for −∫ log g dm of a Gaussian g).</summary>
    public (double Entropy, double MeanSquaredNorm) Estimate(ParticleSet particles)
    {
        Pack(particles);
        int n = _count;
        int w = _width;
        double[] x = _packed;
        double sumLog = 0;
        double sumSquares = 0;
        for (int i = 0; i < n; i++)
        {
            int oi = i * w;
            double nearest = double.PositiveInfinity;
            double squares = 0;
            for (int c = 0; c < w; c++)
            {
                squares += x[oi + c] * x[oi + c];
            }

            for (int j = 0; j < n; j++)
            {
                if (j == i)
                {
                    continue;
                }

                int oj = j * w;
                double distance = 0;
                for (int c = 0; c < w; c++)
                {
                    double delta = x[oi + c] - x[oj + c];
                    distance += delta * delta;
                }

                nearest = Math.Min(nearest, distance);
            }

            sumLog += 0.5 * Math.Log(nearest);
            sumSquares += squares;
        }

        return (_constant + (w * sumLog / n), sumSquares / n);
    }

    /// <summary>Copies the structure-of-arrays values into n rows of D (scalars first, then the vectors).</summary>
    private void Pack(ParticleSet particles)
    {
        int n = _count;
        int d = particles.Dimension;
        int scalars = particles.Layout.ScalarCount;
        int vectors = particles.Layout.VectorParameters.Count;
        double[] values = particles.Data;
        for (int i = 0; i < n; i++)
        {
            int row = i * _width;
            for (int s = 0; s < scalars; s++)
            {
                _packed[row + s] = values[(s * n) + i];
            }

            for (int a = 0; a < vectors; a++)
            {
                Array.Copy(values, (scalars * n) + (a * n * d) + (i * d), _packed, row + scalars + (a * d), d);
            }
        }
    }
}

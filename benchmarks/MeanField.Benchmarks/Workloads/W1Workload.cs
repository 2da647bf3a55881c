using MeanField.Models;

namespace MeanField.Benchmarks.Workloads;

/// <summary>
/// Workload W1 of ../shared/peers (one full-batch mean-field gradient step of a two-layer ridge
/// network), with inputs reproducible in any language: counter-based splitmix64,
/// u(s, i) = (splitmix64((s &lt;&lt; 48) | i) &gt;&gt; 11)·2^−53, X[l,j] = 2u(1, l·d+j) − 1,
/// W[i,j] = (2u(2, i·d+j) − 1)·sqrt(3/d), b[i] = 2u(3, i) − 1, c[i] = 2u(4, i) − 1,
/// y[l] = sin(Σ_j X[l,j]·(2u(5, j) − 1)·sqrt(3/d)).
/// </summary>
public static class W1Workload
{
    /// <summary>The samples (X, y) of W1.</summary>
    public static SampleSet Samples(int samples, int dimension)
    {
        var x = new double[samples * dimension];
        for (int k = 0; k < x.Length; k++)
        {
            x[k] = (2 * Uniform(1, (ulong)k)) - 1;
        }

        double scale = Math.Sqrt(3.0 / dimension);
        var t = new double[dimension];
        for (int j = 0; j < dimension; j++)
        {
            t[j] = ((2 * Uniform(5, (ulong)j)) - 1) * scale;
        }

        var y = new double[samples];
        for (int l = 0; l < samples; l++)
        {
            double s = 0;
            for (int j = 0; j < dimension; j++)
            {
                s += x[(l * dimension) + j] * t[j];
            }

            y[l] = Math.Sin(s);
        }

        return new SampleSet(x, y, dimension);
    }

    /// <summary>
    /// The initial particles (c, w, b) of W1 for a ridge model (<see cref="TanhNetwork"/>, <see cref="ReluNetwork"/>,
    /// <see cref="SigmoidNetwork"/>, <see cref="SoftplusNetwork"/>); for <see cref="GaussianBumpNetwork"/> (c, w, s) the
    /// width s = √d·(½ + ½u(3, i)), so that the bumps reach the samples (|w − x|² ≈ 2d/3).
    /// </summary>
    public static ParticleSet Particles<TModel>(int count, int dimension) where TModel : struct, INetworkModel<TModel>
    {
        var particles = ParticleSet.Create<TModel>(count, dimension);
        var c = particles.Scalar("c");
        bool bump = particles.Layout.ScalarParameters.Contains("s");
        var b = particles.Scalar(bump ? "s" : "b");
        var w = particles.Vector("w");
        double scale = Math.Sqrt(3.0 / dimension);
        for (int k = 0; k < w.Length; k++)
        {
            w[k] = ((2 * Uniform(2, (ulong)k)) - 1) * scale;
        }

        for (int i = 0; i < count; i++)
        {
            b[i] = bump ? Math.Sqrt(dimension) * (0.5 + (0.5 * Uniform(3, (ulong)i))) : (2 * Uniform(3, (ulong)i)) - 1;
            c[i] = (2 * Uniform(4, (ulong)i)) - 1;
        }

        return particles;
    }

    /// <summary>u(stream, index) ∈ [0, 1): splitmix64 of (stream &lt;&lt; 48) | index, top 53 bits.</summary>
    public static double Uniform(ulong stream, ulong index)
    {
        ulong z = (stream << 48) | index;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / 9007199254740992.0);
    }
}

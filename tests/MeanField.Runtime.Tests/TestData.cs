using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests;

/// <summary>Seeded particles and samples for the tests.</summary>
internal static class TestData
{
    public static ParticleSet TanhParticles(int n, int d, ulong seed)
    {
        ParticleSet particles = ParticleSet.Create<TanhRidge>(n, d);
        particles.InitializeGaussian(seed);
        return particles;
    }

    /// <summary>c ~ N(0, 1), s ~ N(1, 0.2²) (kept away from 0), w ~ N(0, 1/d).</summary>
    public static ParticleSet BumpParticles(int n, int d, ulong seed)
    {
        ParticleSet particles = ParticleSet.Create<GaussianBump>(n, d);
        particles.InitializeGaussian(seed);
        particles.InitializeGaussian("s", seed, 1.0, 0.2);
        return particles;
    }

    /// <summary>x ~ N(0, I/d) (so |x|² ≈ 1), y = sin(x·u) + 0.1·N(0, 1) for a fixed direction u.</summary>
    public static SampleSet Samples(int count, int d, int seed)
    {
        var random = new Random(seed);
        var x = new double[count * d];
        var y = new double[count];
        var u = new double[d];
        for (int k = 0; k < d; k++)
        {
            u[k] = Gaussian(random);
        }

        for (int l = 0; l < count; l++)
        {
            double dot = 0;
            for (int k = 0; k < d; k++)
            {
                x[(l * d) + k] = Gaussian(random) / Math.Sqrt(d);
                dot += x[(l * d) + k] * u[k];
            }

            y[l] = Math.Sin(dot) + (0.1 * Gaussian(random));
        }

        return new SampleSet(x, y, d);
    }

    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>
    /// Runs two flows from copies of <paramref name="start"/> on <paramref name="samples"/>, with options
    /// <paramref name="a"/> and <paramref name="b"/> (e.g. two schedules), and asserts the same particles and loss
    /// history to the bit.
    /// </summary>
    public static void AssertSameFlow<TModel>(ParticleSet start, SampleSet samples, GradientFlowOptions a, GradientFlowOptions b)
        where TModel : struct, INetworkModel<TModel>
    {
        var x = start.Clone();
        var y = start.Clone();
        using var first = new GradientFlow<TModel>(x, samples, a);
        using var second = new GradientFlow<TModel>(y, samples, b);

        first.Run();
        second.Run();

        Assert.Equal(Bits(x.Values), Bits(y.Values));
        Assert.Equal(first.LossHistory, second.LossHistory);
    }

    public static long[] Bits(ReadOnlySpan<double> values)
    {
        var bits = new long[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            bits[i] = BitConverter.DoubleToInt64Bits(values[i]);
        }

        return bits;
    }
}

using MeanField.Models;
using MeanField.Reductions;

namespace MeanField.Runtime.Tests.Reductions;

/// <summary>
/// The engine on generator output (src/Models) rather than hand-written fixtures: real SIMD operators, whose
/// vector lanes may differ from the scalar overload by a few ulps of the vectorised elementary functions.
/// </summary>
public sealed class GeneratedModelEngineTests
{
    [Fact]
    public void TanhNetworkMatchesNaiveLoopAndFiniteDifferences()
    {
        ParticleSet particles = ParticleSet.Create<TanhNetwork>(203, 7);
        particles.InitializeGaussian(1);
        Check<TanhNetwork>(particles, TestData.Samples(517, 7, 2));
    }

    [Fact]
    public void GaussianBumpNetworkMatchesNaiveLoopAndFiniteDifferences()
    {
        ParticleSet particles = ParticleSet.Create<GaussianBumpNetwork>(203, 7);
        particles.InitializeGaussian(3);
        particles.InitializeGaussian("s", 3, 1.0, 0.2);
        Check<GaussianBumpNetwork>(particles, TestData.Samples(517, 7, 4));
    }

    /// <summary>Two vector parameters, three particle channels (|w|², w·u, |u|²), |x|² and two pair channels.</summary>
    [Fact]
    public void KitchenSinkNetworkMatchesNaiveLoopAndFiniteDifferences()
    {
        ParticleSet particles = ParticleSet.Create<MeanField.Runtime.Tests.Generated.KitchenSinkNetwork>(203, 7);
        particles.InitializeGaussian(5, scalarStd: 0.5);
        particles.InitializeGaussian("s", 5, 0.9, 0.2);
        Assert.Equal(3, particles.Layout.ParticleChannelCount);
        Assert.True(((NetworkLayout)particles.Layout).UsesSquaredNormOfInput);
        Assert.Equal(2, ((NetworkLayout)particles.Layout).PairChannelCount);
        Check<MeanField.Runtime.Tests.Generated.KitchenSinkNetwork>(particles, TestData.Samples(517, 7, 6));
    }

    [Fact]
    public void SoftplusLogCoshNetworkMatchesNaiveLoopAndFiniteDifferences()
    {
        ParticleSet particles = ParticleSet.Create<MeanField.Runtime.Tests.Generated.SoftplusLogCoshNetwork>(203, 7);
        particles.InitializeGaussian(7);
        Check<MeanField.Runtime.Tests.Generated.SoftplusLogCoshNetwork>(particles, TestData.Samples(517, 7, 8));
    }

    /// <summary>No vector parameters, no pair channels: only scalars and |x|².</summary>
    [Fact]
    public void EnvelopeNetworkWithoutVectorsMatchesNaiveLoopAndFiniteDifferences()
    {
        ParticleSet particles = ParticleSet.Create<MeanField.Runtime.Tests.Generated.EnvelopeNetwork>(203, 7);
        particles.InitializeGaussian(9, scalarStd: 0.5);
        Assert.Empty(particles.Layout.VectorParameters);
        Assert.Equal(0, ((NetworkLayout)particles.Layout).PairChannelCount);
        Check<MeanField.Runtime.Tests.Generated.EnvelopeNetwork>(particles, TestData.Samples(517, 7, 10));
    }

    private static void Check<TModel>(ParticleSet particles, SampleSet samples)
        where TModel : struct, INetworkModel<TModel>
    {
        using var evaluator = new NetworkEvaluator<TModel>(2);

        // Reordered sums (≲ 1e-13, see EvaluatorAccuracyTests) plus a few-ulp lane difference of the vector
        // tanh/exp against the scalar overload the reference calls (≲ 1e-15 per term): 1e-12 covers both.
        double loss = evaluator.Loss(particles, samples);
        double expected = Reference<TModel>.Loss(particles, samples);
        Assert.True(Math.Abs(loss - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"loss {loss:R}, reference {expected:R}");

        ParticleSet velocity = particles.Clone();
        evaluator.WassersteinGradient(particles, samples, velocity);
        double largest = 0;
        foreach (double v in velocity.Values)
        {
            largest = Math.Max(largest, Math.Abs(v));
        }

        // n·∂L/∂θ by central differences (h = 1e-5; error ≲ n·(h² + ε/h) ≈ 1e-8 here), at one value of every
        // scalar and vector block, for particles in a full vector block and in the scalar remainder.
        const double h = 1e-5;
        int n = particles.Count;
        int d = particles.Dimension;
        ParticleSet probe = particles.Clone();
        foreach (int i in new[] { 3, 202 })
        {
            var indices = new List<int>();
            for (int s = 0; s < particles.Layout.ScalarCount; s++)
            {
                indices.Add(particles.ScalarOffset(s) + i);
            }

            for (int a = 0; a < particles.Layout.VectorParameters.Count; a++)
            {
                indices.Add(particles.VectorOffset(a) + (i * d) + 2);
            }

            foreach (int index in indices)
            {
                double original = probe.Values[index];
                probe.Values[index] = original + h;
                double plus = evaluator.Loss(probe, samples);
                probe.Values[index] = original - h;
                double minus = evaluator.Loss(probe, samples);
                probe.Values[index] = original;
                double fd = n * (plus - minus) / (2 * h);
                Assert.True(Math.Abs(fd - velocity.Values[index]) <= 1e-6 * largest, $"value {index}: velocity {velocity.Values[index]:R}, n·∂L/∂θ {fd:R}");
            }
        }
    }
}

using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.Storage;

public sealed class StorageTests
{
    [Fact]
    public void ParticleSetIsStructureOfArrays()
    {
        ParticleSet particles = ParticleSet.Create<GaussianBump>(5, 3);
        Assert.Equal(5 * (2 + 3), particles.Values.Length);
        particles.Scalar("s")[2] = 7;
        particles.Vector("w")[(4 * 3) + 1] = 9;
        Assert.Equal(7, particles.Values[5 + 2]);
        Assert.Equal(9, particles.Values[10 + 12 + 1]);
        Assert.Equal(5, particles.Scalar(1).Length);
        Assert.Equal(15, particles.Vector(0).Length);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => particles.Scalar("q")).ParamName);
        Assert.Equal(2, Assert.Throws<ArgumentOutOfRangeException>(() => particles.Scalar(2)).ActualValue);
        Assert.Equal(0, Assert.Throws<ArgumentOutOfRangeException>(() => ParticleSet.Create<GaussianBump>(0, 3)).ActualValue);
        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => ParticleSet.Create<GaussianBump>(3, 0)).ParamName);
    }

    [Fact]
    public void GaussianInitialisationIsCounterBased()
    {
        ParticleSet small = ParticleSet.Create<TanhRidge>(10, 4);
        ParticleSet large = ParticleSet.Create<TanhRidge>(1000, 4);
        small.InitializeGaussian(5);
        large.InitializeGaussian(5);

        // Particle i's values depend on (seed, parameter, i, component) only, not on n.
        Assert.Equal(small.Scalar("c").ToArray(), large.Scalar("c")[..10].ToArray());
        Assert.Equal(small.Vector("w").ToArray(), large.Vector("w")[..40].ToArray());

        // Moments of 1000 N(0, 1) values (c) and 4000 N(0, 1/4) values (w): 5σ bands of the sample mean / variance.
        double mean = large.Scalar("c").ToArray().Average();
        double variance = large.Scalar("c").ToArray().Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, -5 / Math.Sqrt(1000), 5 / Math.Sqrt(1000));
        Assert.InRange(variance, 1 - (5 * Math.Sqrt(2.0 / 1000)), 1 + (5 * Math.Sqrt(2.0 / 1000)));
        double wVariance = large.Vector("w").ToArray().Select(v => v * v).Average();
        Assert.InRange(wVariance, 0.25 * (1 - (5 * Math.Sqrt(2.0 / 4000))), 0.25 * (1 + (5 * Math.Sqrt(2.0 / 4000))));

        ParticleSet other = ParticleSet.Create<TanhRidge>(10, 4);
        other.InitializeGaussian(6);
        Assert.NotEqual(small.Scalar("c").ToArray(), other.Scalar("c").ToArray());
        Assert.NotEqual(small.Scalar("c").ToArray(), small.Scalar("b").ToArray());
    }

    [Fact]
    public void CloneCopyAndFiniteness()
    {
        ParticleSet a = TestData.BumpParticles(9, 2, 3);
        ParticleSet b = a.Clone();
        Assert.Equal(a.Values.ToArray(), b.Values.ToArray());
        b.Values[0] = double.PositiveInfinity;
        Assert.True(a.AllFinite());
        Assert.False(b.AllFinite());
        a.CopyTo(b);
        Assert.True(b.AllFinite());
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => a.CopyTo(TestData.BumpParticles(8, 2, 3))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => a.CopyTo(TestData.TanhParticles(9, 2, 3))).ParamName);
    }

    [Fact]
    public void SampleSetCopiesAndPrecomputesNorms()
    {
        double[] x = [1, 2, 3, 4, 5, 6];
        var samples = new SampleSet(x, [1, 2], 3);
        x[0] = 100;
        Assert.Equal(2, samples.Count);
        Assert.Equal(1, samples.Inputs[0]);
        Assert.Equal([4.0, 5, 6], samples.Input(1).ToArray());
        Assert.Equal([14.0, 77], samples.SquaredNorms.ToArray());
    }
}

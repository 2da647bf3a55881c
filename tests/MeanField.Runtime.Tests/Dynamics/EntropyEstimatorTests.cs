namespace MeanField.Runtime.Tests.Dynamics;

/// <summary>The Kozachenko–Leonenko entropy estimate behind LangevinProgress (specs/particles.md §2.3).</summary>
public sealed class EntropyEstimatorTests
{
    [Fact]
    public void UnitBallVolumesAreTheKnownOnes()
    {
        Assert.Equal(Math.Log(2), EntropyEstimator.LogUnitBallVolume(1), 14);
        Assert.Equal(Math.Log(Math.PI), EntropyEstimator.LogUnitBallVolume(2), 14);
        Assert.Equal(Math.Log(4 * Math.PI / 3), EntropyEstimator.LogUnitBallVolume(3), 14);
        Assert.Equal(Math.Log(Math.PI * Math.PI / 2), EntropyEstimator.LogUnitBallVolume(4), 14);
        Assert.Equal(Math.Log(8 * Math.PI * Math.PI / 15), EntropyEstimator.LogUnitBallVolume(5), 14);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TheEstimateOfAStandardGaussianIsItsEntropy(int dimension)
    {
        // H(N(0, I_D)) = (D/2) log(2πe). n = 2000: standard deviation ≈ √(π²/(6n)) = 0.029 nats whatever D (each term is
        // asymptotically log of an Exp(1) variable); the O(n^(−1/D)) bias of the Gaussian tails is a few hundredths at
        // D = 3. Tolerance 0.1 nats ≈ 3.5 std.
        const int N = 2000;
        ParticleSet particles = QuadraticEnergy.Particles(N, dimension, (ulong)(40 + dimension), 0, 1);
        var (entropy, meanSquares) = new EntropyEstimator(N, dimension).Estimate(particles);
        Assert.InRange(entropy, (dimension / 2.0 * Math.Log(2 * Math.PI * Math.E)) - 0.1, (dimension / 2.0 * Math.Log(2 * Math.PI * Math.E)) + 0.1);

        // E|θ|² = D; its sample mean has standard deviation √(2D/n) ≤ 0.055: tolerance 0.2.
        Assert.InRange(meanSquares, dimension - 0.2, dimension + 0.2);
    }
}

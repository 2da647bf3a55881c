namespace MeanField.Runtime.Tests.Dynamics;

/// <summary>
/// The hand-written test energy <see cref="BumpEnergy"/> (used by the behaviour, allocation and bad-input tests) is right.
/// The birth–death claims themselves run on the generated Gaussian-feature model: Claims/GaussianFeatureClaimTests.
/// </summary>
public sealed class BumpEnergyTests
{
    // Three unit bumps of width σ_f = 0.25 at −1.5, 0.5 and 2.
    private static readonly double[] Centres = [-1.5, 0.5, 2.0];
    private static readonly double[] Amplitudes = [1.0, 1.0, 1.0];

    private static BumpEnergy Energy => new(0.25, Centres, Amplitudes);

    [Fact]
    public void BumpEnergyGradientMatchesFiniteDifferences()
    {
        ParticleSet particles = BumpEnergy.Grid(7, -2, 1, 0.8);
        particles.Scalar(0)[3] = -0.4;
        ParticleSet gradient = particles.Clone();
        var firstVariation = new double[7];
        double energy = Energy.Gradient(particles, gradient, firstVariation, 0);
        Assert.Equal(energy, Energy.Energy(particles), 14);

        // ∂E/∂θ_i = w_i ∇V(θ_i); central differences with h = 1e-5 have error O(h²·E''') ≈ 1e-10 and rounding
        // ≈ ε·E/h ≈ 1e-11: tolerance 1e-8 relative to the largest gradient.
        const double H = 1e-5;
        for (int p = 0; p < particles.Values.Length; p++)
        {
            int i = p % 7;
            double saved = particles.Values[p];
            particles.Values[p] = saved + H;
            double up = Energy.Energy(particles);
            particles.Values[p] = saved - H;
            double down = Energy.Energy(particles);
            particles.Values[p] = saved;
            Assert.Equal((up - down) / (2 * H), particles.Weights[i] * gradient.Values[p], 8);
        }

        // V(θ_i) against the directional derivative of E along adding mass ε at θ_i: d/dε E((1 − ε)μ + ε δ_θi) at 0
        // is V(θ_i) − ∫V dμ; checked through the weighted energy (weights w_j(1 − ε) + ε·[j = i]).
        double mean = 0;
        for (int j = 0; j < 7; j++)
        {
            mean += particles.Weights[j] * firstVariation[j];
        }

        for (int i = 0; i < 7; i++)
        {
            double Shifted(double eps)
            {
                ParticleSet moved = particles.Clone();
                for (int j = 0; j < 7; j++)
                {
                    moved.Weights[j] = (particles.Weights[j] * (1 - eps)) + (j == i ? eps : 0);
                }

                return Energy.Energy(moved);
            }

            Assert.Equal((Shifted(H) - Shifted(-H)) / (2 * H), firstVariation[i] - mean, 8);
        }
    }
}

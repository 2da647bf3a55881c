using MeanField.Reductions;
using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.Reductions;

/// <summary>The particle velocity equals n · ∂L/∂θ_i (central finite differences of the engine's Loss).</summary>
public sealed class WassersteinGradientTests
{
    [Fact]
    public void TanhRidgeVelocityIsNTimesTheLossGradient() =>
        Check<TanhRidge>(TestData.TanhParticles(75, 6, 31), TestData.Samples(130, 6, 32));

    [Fact]
    public void GaussianBumpVelocityIsNTimesTheLossGradient() =>
        Check<GaussianBump>(TestData.BumpParticles(75, 6, 33), TestData.Samples(130, 6, 34));

    private static void Check<TModel>(ParticleSet particles, SampleSet samples)
        where TModel : struct, INetworkModel<TModel>
    {
        using var evaluator = new NetworkEvaluator<TModel>(2);
        ParticleSet velocity = particles.Clone();
        evaluator.WassersteinGradient(particles, samples, velocity);
        int n = particles.Count;
        int d = particles.Dimension;
        double largest = 0;
        foreach (double v in velocity.Values)
        {
            largest = Math.Max(largest, Math.Abs(v));
        }

        // Particles 0, 37 (inside the first tile's full vector blocks), 64 (second tile) and 74 (the scalar remainder).
        foreach (int i in new[] { 0, 37, 64, 74 })
        {
            for (int s = 0; s < particles.Layout.ScalarCount; s++)
            {
                int index = particles.ScalarOffset(s) + i;
                Compare(evaluator, particles, samples, index, velocity.Values[index], largest, $"scalar {s} of particle {i}");
            }

            foreach (int k in new[] { 0, d - 1 })
            {
                int index = particles.VectorOffset(0) + (i * d) + k;
                Compare(evaluator, particles, samples, index, velocity.Values[index], largest, $"w[{k}] of particle {i}");
            }
        }
    }

    private static void Compare<TModel>(NetworkEvaluator<TModel> evaluator, ParticleSet particles, SampleSet samples, int index, double velocity, double largest, string what)
        where TModel : struct, INetworkModel<TModel>
    {
        // Central difference with h = 1e-5: truncation h²·|∂³L/∂θ³| ≈ 1e-10/n and rounding ε·|L|/h ≈ 1e-11, both
        // multiplied by n = 75: ≲ 1e-9. A tolerance of 1e-6 relative to the largest velocity component still
        // catches a missing factor n, a wrong chain-rule term (2v vs v) or a dropped regularizer gradient.
        const double h = 1e-5;
        ParticleSet probe = particles.Clone();
        double original = probe.Values[index];
        probe.Values[index] = original + h;
        double plus = evaluator.Loss(probe, samples);
        probe.Values[index] = original - h;
        double minus = evaluator.Loss(probe, samples);
        double expected = particles.Count * (plus - minus) / (2 * h);
        Assert.True(Math.Abs(expected - velocity) <= 1e-6 * largest, $"{what}: velocity {velocity:R}, n·∂L/∂θ {expected:R}");
    }
}

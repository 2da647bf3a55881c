using MeanField.Reductions;
using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.Reductions;

/// <summary>
/// d/dε L((1 − ε)μ + εν)|_(ε=0) = ∫ δL/δμ d(ν − μ): the defining property of the first variation.
/// </summary>
public sealed class FirstVariationTests
{
    [Fact]
    public void TanhRidgeFirstVariationIsTheDerivativeAlongMixtures() =>
        Check<TanhRidge>(TestData.TanhParticles(203, 5, 1), TestData.TanhParticles(77, 5, 2), TestData.Samples(517, 5, 3));

    [Fact]
    public void GaussianBumpFirstVariationIsTheDerivativeAlongMixtures() =>
        Check<GaussianBump>(TestData.BumpParticles(203, 5, 4), TestData.BumpParticles(77, 5, 5), TestData.Samples(517, 5, 6));

    private static void Check<TModel>(ParticleSet mu, ParticleSet nu, SampleSet samples)
        where TModel : struct, INetworkModel<TModel>
    {
        using var evaluator = new NetworkEvaluator<TModel>(2);
        var onMu = new double[mu.Count];
        var onNu = new double[nu.Count];
        evaluator.FirstVariation(mu, samples, mu, onMu);
        evaluator.FirstVariation(mu, samples, nu, onNu);
        double predicted = onNu.Average() - onMu.Average();

        // The mixture is a weighted measure, so its energy is computed here with explicit weights from the
        // reference predictions of μ and ν (ParticleSet weights are uniform).
        double[] fMu = Reference<TModel>.Predict(mu, samples);
        double[] fNu = Reference<TModel>.Predict(nu, samples);
        double uMu = Reference<TModel>.MeanRegularizer(mu);
        double uNu = Reference<TModel>.MeanRegularizer(nu);
        const double h = 1e-4;
        double derivative = (Reference<TModel>.MixtureEnergy(h, fMu, fNu, uMu, uNu, samples)
            - Reference<TModel>.MixtureEnergy(-h, fMu, fNu, uMu, uNu, samples)) / (2 * h);

        // For the square loss E(ε) is a quadratic in ε plus a linear U term, so the central difference is exact up
        // to rounding: ε_mach·|E|/h ≈ 1e-16 · 1 / 1e-4 = 1e-12. The runtime's sums differ from the reference by
        // ≲ 1e-13 (see EvaluatorAccuracyTests). 1e-9 relative to the size of the terms is a safe bound that still
        // catches a wrong factor, a missing U term or a missing 1/L (each an O(1) relative error).
        double scale = Math.Max(Math.Abs(onNu.Average()), Math.Abs(onMu.Average()));
        Assert.True(Math.Abs(derivative - predicted) <= 1e-9 * Math.Max(scale, 1e-3), $"finite difference {derivative:R}, first variation {predicted:R}");
        Assert.True(Math.Abs(predicted) > 1e-4, "The check is vacuous: ∫ δL/δμ d(ν − μ) is ~0.");
    }
}

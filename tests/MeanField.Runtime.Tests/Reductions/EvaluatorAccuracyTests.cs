using MeanField.Reductions;
using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.Reductions;

/// <summary>Predict and Loss against the naive double loop, for every SIMD width.</summary>
public sealed class EvaluatorAccuracyTests
{
    // n and L are not multiples of the tile (64) or vector width (8), so remainders run.
    private const int N = 203;
    private const int L = 517;
    private const int D = 7;

    // The engine and the reference add the same φ values (the test models' vector overloads are lane-exact) in
    // different orders (lane partial sums, FMA in the pair-channel product): each f(x_l) is a mean of n = 203 terms
    // of size ≲ 3, so reordering moves it by ≲ n·ε·max|φ| ≈ 203 · 1.1e-16 · 3 ≈ 7e-14. 1e-12 leaves margin.
    private const double Tolerance = 1e-12;

    public static TheoryData<int> Widths => new() { 0, 1, 2, 4, 8 };

    [Theory]
    [MemberData(nameof(Widths))]
    public void TanhRidgePredictAndLossMatchNaiveLoop(int width)
    {
        ParticleSet particles = TestData.TanhParticles(N, D, 11);
        SampleSet samples = TestData.Samples(L, D, 12);
        using var evaluator = new NetworkEvaluator<TanhRidge>(2, (SimdWidth)width);
        CheckAgainstReference(evaluator, particles, samples);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void GaussianBumpPredictAndLossMatchNaiveLoop(int width)
    {
        ParticleSet particles = TestData.BumpParticles(N, D, 21);
        SampleSet samples = TestData.Samples(L, D, 22);
        using var evaluator = new NetworkEvaluator<GaussianBump>(2, (SimdWidth)width);
        CheckAgainstReference(evaluator, particles, samples);
    }

    [Fact]
    public void PredictFromRawInputsMatchesSampleSet()
    {
        ParticleSet particles = TestData.BumpParticles(70, 3, 5);
        SampleSet samples = TestData.Samples(65, 3, 6);
        using var evaluator = new NetworkEvaluator<GaussianBump>(1);
        var fromSet = new double[samples.Count];
        var fromRaw = new double[samples.Count];
        evaluator.Predict(particles, samples, fromSet);
        evaluator.Predict(particles, samples.Inputs, fromRaw);
        Assert.Equal(TestData.Bits(fromSet), TestData.Bits(fromRaw));
    }

    [Fact]
    public void SingleParticleAndSingleSampleWork()
    {
        ParticleSet particles = TestData.TanhParticles(1, 1, 5);
        SampleSet samples = TestData.Samples(1, 1, 6);
        using var evaluator = new NetworkEvaluator<TanhRidge>(2);
        CheckAgainstReference(evaluator, particles, samples);
    }

    private static void CheckAgainstReference<TModel>(NetworkEvaluator<TModel> evaluator, ParticleSet particles, SampleSet samples)
        where TModel : struct, INetworkModel<TModel>
    {
        double[] expected = Reference<TModel>.Predict(particles, samples);
        var actual = new double[samples.Count];
        evaluator.Predict(particles, samples, actual);
        for (int l = 0; l < samples.Count; l++)
        {
            Assert.True(Math.Abs(actual[l] - expected[l]) <= Tolerance, $"f(x_{l}) = {actual[l]:R}, reference {expected[l]:R}");
        }

        double loss = evaluator.Loss(particles, samples);
        double expectedLoss = Reference<TModel>.Loss(particles, samples);
        Assert.True(Math.Abs(loss - expectedLoss) <= Tolerance * Math.Max(1, Math.Abs(expectedLoss)), $"loss {loss:R}, reference {expectedLoss:R}");
    }
}

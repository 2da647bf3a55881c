using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.BadInputs;

/// <summary>
/// The validation policy beyond single rejected calls (specs/reliability.md): the documented opt-out
/// <see cref="NetworkEvaluator{TModel}.ValidateInputs"/>, the fallback of an over-large cache budget to streaming,
/// and the cost of the checks (once per call, allocation-free).
/// </summary>
public sealed class ValidationTests
{
    private static readonly SampleSet Data = TestData.Samples(90, 3, 21);

    [Fact]
    public void ValidateInputsIsOnByDefaultAndItsOptOutSkipsOnlyTheFiniteScan()
    {
        ParticleSet particles = TestData.TanhParticles(20, 3, 4);
        particles.Vector("w")[7] = double.NaN;
        using var evaluator = new NetworkEvaluator<TanhRidge>(1);
        Assert.True(evaluator.ValidateInputs);
        Assert.Throws<ArgumentException>(() => evaluator.Loss(particles, Data));

        evaluator.ValidateInputs = false;

        // Raw speed, raw results: the NaN propagates (documented), it is not silently dropped.
        Assert.True(double.IsNaN(evaluator.Loss(particles, Data)));
        double[] inputs = Data.Inputs.ToArray();
        inputs[4] = double.PositiveInfinity;
        var predictions = new double[Data.Count];
        evaluator.Predict(TestData.TanhParticles(20, 3, 4), inputs, predictions);

        // Shapes, nulls and models are still checked.
        Assert.Equal("predictions", Assert.Throws<ArgumentException>(() => evaluator.Predict(particles, Data, new double[Data.Count + 1])).ParamName);
        Assert.Equal("particles", Assert.Throws<ArgumentNullException>(() => evaluator.Loss(null!, Data)).ParamName);
    }

    [Fact]
    public void ACacheBudgetBeyondTheMemoryFallsBackToStreamingWithTheSameBits()
    {
        ParticleSet particles = TestData.BumpParticles(150, 3, 8);
        ParticleSet streamed = particles.Clone();
        ParticleSet fallback = particles.Clone();
        using var streaming = new NetworkEvaluator<GaussianBump>(1);
        using var greedy = new NetworkEvaluator<GaussianBump>(1) { PairCacheBudgetBytes = long.MaxValue, PairCacheMemoryLimitBytes = 4096, Schedule = PairSchedule.Cached };

        double expected = streaming.WassersteinGradient(particles, Data, streamed);
        double loss = greedy.WassersteinGradient(particles, Data, fallback);

        Assert.False(greedy.LastGradientUsedPairCache);
        Assert.Equal(long.MaxValue, greedy.PairCacheBudgetBytes);
        Assert.Equal(expected, loss);
        Assert.Equal(TestData.Bits(streamed.Values), TestData.Bits(fallback.Values));

        // Within the machine's memory the same budget does use the cache (so the fallback above is the limit's doing).
        using var able = new NetworkEvaluator<GaussianBump>(1) { PairCacheBudgetBytes = long.MaxValue, Schedule = PairSchedule.Cached };
        able.WassersteinGradient(particles, Data, fallback);
        Assert.True(able.LastGradientUsedPairCache);
    }

    [Fact]
    public void TheGuardAndTheFiniteChecksAllocateNothingPerCall()
    {
        ParticleSet particles = TestData.TanhParticles(70, 3, 4);
        ParticleSet velocity = particles.Clone();
        using var evaluator = new NetworkEvaluator<TanhRidge>(1);
        var predictions = new double[Data.Count];
        double[] inputs = Data.Inputs.ToArray();
        evaluator.WassersteinGradient(particles, Data, velocity);
        evaluator.Predict(particles, inputs, predictions);

        Assert.Equal(0, SteadyAllocation.Bytes(() =>
        {
            for (int i = 0; i < 5; i++)
            {
                evaluator.WassersteinGradient(particles, Data, velocity);
                evaluator.Predict(particles, inputs, predictions);
            }
        }));
    }

    [Fact]
    public void AFlowRefusesANonFiniteStartAndNamesTheFirstBadValue()
    {
        ParticleSet particles = TestData.TanhParticles(10, 3, 1);
        particles.Scalar("b")[4] = double.NegativeInfinity;
        ArgumentException error = Assert.Throws<ArgumentException>(() => new GradientFlow<TanhRidge>(particles, Data, new GradientFlowOptions { ThreadCount = 1 }));
        Assert.Equal("particles", error.ParamName);
        Assert.Contains("particles.Values[14] (scalar parameter 'b' of particle 4) is -Infinity", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("step -1", error.Message, StringComparison.Ordinal);
    }
}

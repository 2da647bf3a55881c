using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.Reductions;

/// <summary>
/// The cached schedule (specs/gradient-flow.md §2) keeps the forward pass's pair channels for the backward
/// pass when they fit the budget. It must give the streaming schedule's results to the bit, be used exactly
/// when it fits, and allocate nothing per step after warm-up.
/// </summary>
public sealed class CachedScheduleTests
{
    private const int N = 203;
    private const int L = 517;
    private const int D = 7;

    /// <summary>8 bytes · P pair channels · L and n rounded up to 64-wide tiles (576 · 256 for these sizes).</summary>
    private static long CacheBytes(int pairChannels) => 8L * pairChannels * 576 * 256;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void CachedGradientIsBitIdenticalToStreaming(int threads)
    {
        var samples = TestData.Samples(L, D, 51);
        var particles = TestData.BumpParticles(N, D, 52);
        using var streaming = new NetworkEvaluator<GaussianBump>(threads);
        using var cached = new NetworkEvaluator<GaussianBump>(threads) { PairCacheBudgetBytes = CacheBytes(1) };
        var v1 = particles.Clone();
        var v2 = particles.Clone();

        double loss1 = streaming.WassersteinGradient(particles, samples, v1);
        double loss2 = cached.WassersteinGradient(particles, samples, v2);

        Assert.False(streaming.LastGradientUsedPairCache);
        Assert.True(cached.LastGradientUsedPairCache);
        Assert.Equal(BitConverter.DoubleToInt64Bits(loss1), BitConverter.DoubleToInt64Bits(loss2));
        Assert.Equal(TestData.Bits(v1.Values), TestData.Bits(v2.Values));
    }

    [Fact]
    public void BudgetOneByteTooSmallFallsBackToStreaming()
    {
        var samples = TestData.Samples(L, D, 53);
        var particles = TestData.TanhParticles(N, D, 54);
        using var evaluator = new NetworkEvaluator<TanhRidge>(2) { PairCacheBudgetBytes = CacheBytes(1) - 1 };

        evaluator.WassersteinGradient(particles, samples, particles.Clone());

        Assert.False(evaluator.LastGradientUsedPairCache);
    }

    [Fact]
    public void CachedFlowTrajectoryEqualsStreamingFlow()
    {
        var samples = TestData.Samples(L, D, 55);
        var a = TestData.TanhParticles(N, D, 56);
        var b = a.Clone();
        using var streaming = new GradientFlow<TanhRidge>(a, samples, new GradientFlowOptions { StepSize = 0.5, MaxSteps = 15, ThreadCount = 2 });
        using var cached = new GradientFlow<TanhRidge>(b, samples, new GradientFlowOptions { StepSize = 0.5, MaxSteps = 15, ThreadCount = 2, PairCacheBudgetBytes = 1L << 30 });

        streaming.Run();
        cached.Run();

        Assert.Equal(TestData.Bits(a.Values), TestData.Bits(b.Values));
        Assert.Equal(streaming.LossHistory, cached.LossHistory);
    }

    [Fact]
    public void NegativeBudgetIsRejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new GradientFlowOptions { PairCacheBudgetBytes = -1 });
        Assert.Equal("PairCacheBudgetBytes", e.ParamName);
    }
}

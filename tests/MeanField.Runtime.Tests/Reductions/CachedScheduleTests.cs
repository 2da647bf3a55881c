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
        using var streaming = new NetworkEvaluator<GaussianBump>(threads) { Schedule = PairSchedule.Streaming };
        using var cached = new NetworkEvaluator<GaussianBump>(threads) { PairCacheBudgetBytes = CacheBytes(1), Schedule = PairSchedule.Cached };
        var v1 = particles.Clone();
        var v2 = particles.Clone();

        double loss1 = streaming.WassersteinGradient(particles, samples, v1);
        double loss2 = cached.WassersteinGradient(particles, samples, v2);

        Assert.False(streaming.LastGradientUsedPairCache);
        Assert.True(cached.LastGradientUsedPairCache);
        Assert.Equal(BitConverter.DoubleToInt64Bits(loss1), BitConverter.DoubleToInt64Bits(loss2));
        Assert.Equal(TestData.Bits(v1.Values), TestData.Bits(v2.Values));
    }

    /// <summary>A budget one byte short of the whole cache (9 sample tiles) runs the blocked cache, 8 tiles per block.</summary>
    [Fact]
    public void BudgetOneByteTooSmallRunsTheBlockedCache()
    {
        var samples = TestData.Samples(L, D, 53);
        var particles = TestData.TanhParticles(N, D, 54);
        using var evaluator = new NetworkEvaluator<TanhRidge>(2) { PairCacheBudgetBytes = CacheBytes(1) - 1, Schedule = PairSchedule.Cached, PairCacheBlockBytes = long.MaxValue };

        evaluator.WassersteinGradient(particles, samples, particles.Clone());

        Assert.True(evaluator.LastGradientUsedPairCache);
        Assert.Equal(8, evaluator.LastCacheBlockTiles);
    }

    [Fact]
    public void CachedFlowTrajectoryEqualsStreamingFlow()
    {
        var options = new GradientFlowOptions { StepSize = 0.5, MaxSteps = 15, ThreadCount = 2 };
        TestData.AssertSameFlow<TanhRidge>(
            TestData.TanhParticles(N, D, 56), TestData.Samples(L, D, 55), options, options with { PairCacheBudgetBytes = 1L << 30, Schedule = PairSchedule.Cached });
    }

    /// <summary>
    /// The default schedule (issue 9 item 2): Auto with a 256 MiB budget caches exactly from d = 16 (where caching pays,
    /// PairScheduleDefaults.AutoCacheMinimumDimension), with the streaming schedule's bits either way.
    /// </summary>
    [Theory]
    [InlineData(15, false)]
    [InlineData(16, true)]
    [InlineData(17, true)]
    public void AutoCachesFromDimension16WithTheStreamingBits(int dimension, bool cached)
    {
        var samples = TestData.Samples(130, dimension, 61);
        var particles = TestData.TanhParticles(70, dimension, 62);
        using var auto = new NetworkEvaluator<TanhRidge>(2);
        using var streaming = new NetworkEvaluator<TanhRidge>(2) { Schedule = PairSchedule.Streaming };
        var v1 = particles.Clone();
        var v2 = particles.Clone();

        double loss1 = auto.WassersteinGradient(particles, samples, v1);
        double loss2 = streaming.WassersteinGradient(particles, samples, v2);

        Assert.Equal(PairSchedule.Auto, auto.Schedule);
        Assert.Equal(256L << 20, auto.PairCacheBudgetBytes);
        Assert.Equal(cached, auto.LastGradientUsedPairCache);
        Assert.False(streaming.LastGradientUsedPairCache);
        Assert.Equal(BitConverter.DoubleToInt64Bits(loss2), BitConverter.DoubleToInt64Bits(loss1));
        Assert.Equal(TestData.Bits(v2.Values), TestData.Bits(v1.Values));
    }

    [Theory]
    [InlineData(PairSchedule.Auto)]
    [InlineData(PairSchedule.Cached)]
    public void ZeroBudgetForcesStreaming(PairSchedule schedule)
    {
        var samples = TestData.Samples(130, 64, 63);
        var particles = TestData.TanhParticles(70, 64, 64);
        using var evaluator = new NetworkEvaluator<TanhRidge>(1) { Schedule = schedule, PairCacheBudgetBytes = 0 };

        evaluator.WassersteinGradient(particles, samples, particles.Clone());

        Assert.False(evaluator.LastGradientUsedPairCache);
    }

    [Fact]
    public void FlowOptionsDefaultToAutoWith256MiB()
    {
        var options = new GradientFlowOptions();

        Assert.Equal(PairSchedule.Auto, options.Schedule);
        Assert.Equal(256L << 20, options.PairCacheBudgetBytes);
        Assert.Equal(PairSchedule.Streaming, (options with { Schedule = PairSchedule.Streaming }).Schedule);
    }

    [Fact]
    public void NegativeBudgetIsRejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new GradientFlowOptions { PairCacheBudgetBytes = -1 });
        Assert.Equal("PairCacheBudgetBytes", e.ParamName);
    }
}

using MeanField.Models;
using MeanField.Reductions;
using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.Reductions;

/// <summary>
/// What the cached schedule keeps per pair (specs/performance.md §4): for a unit whose gradient reads the pair channel
/// only through function calls (tanh, logistic; softplus and the logistic; cos and sin) and the arithmetic beside them
/// (the Gaussian bump's scaled distance), the forward pass keeps those values instead of the pair channel — in more
/// planes than pair channels where each extra plane saves a call — and the backward pass computes the gradient from them
/// with no call; the results keep the streaming schedule's bits.
/// </summary>
public sealed class KeptValuesTests
{
    private const int N = 203;
    private const int L = 517;
    private const int D = 7;

    [Fact]
    public void GeneratedModelsKeepAValueExactlyWhereTheGradientAllowsIt()
    {
        Assert.Equal(1, CutCount<TanhNetwork>());
        Assert.Equal(1, CutCount<SigmoidNetwork>());
        Assert.Equal(0, CutCount<ReluNetwork>());       // no call to keep: the pair channel stays
        Assert.Equal(2, CutCount<SoftplusNetwork>());   // softplus and its derivative, the logistic: two planes, two calls saved
        Assert.Equal(2, CutCount<GaussianBumpNetwork>()); // its exp, and the scaled |w − x|² that ∂φ/∂s reads beside it
        Assert.Equal(2, CutCount<FourierNetwork>());    // cos and sin of w·x

        // The engine keeps them all: one plane per kept value where there are more than pair channels.
        Assert.Equal(1, Planes<TanhNetwork>());
        Assert.Equal(1, Planes<ReluNetwork>());
        Assert.Equal(2, Planes<SoftplusNetwork>());
        Assert.Equal(2, Planes<GaussianBumpNetwork>());
        Assert.Equal(2, Planes<FourierNetwork>());
    }

    public static TheoryData<int, int> WidthsAndThreads()
    {
        var data = new TheoryData<int, int>();
        foreach (SimdWidth width in new[] { SimdWidth.Scalar, SimdWidth.V128, SimdWidth.V256, SimdWidth.V512 })
        {
            if (width == SimdWidth.V512 && !System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
            {
                continue;
            }

            data.Add((int)width, 1);
            data.Add((int)width, 2);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsAndThreads))]
    public void CachedKeptValueGradientsHaveTheStreamingBits(int width, int threads)
    {
        CheckCachedEqualsStreaming<TanhNetwork>((SimdWidth)width, threads);
        CheckCachedEqualsStreaming<SigmoidNetwork>((SimdWidth)width, threads);
        CheckCachedEqualsStreaming<SoftplusNetwork>((SimdWidth)width, threads);
        CheckCachedEqualsStreaming<GaussianBumpNetwork>((SimdWidth)width, threads);
        CheckCachedEqualsStreaming<FourierNetwork>((SimdWidth)width, threads);
    }

    /// <summary>The kept path is the one taken: on the cached schedule the backward never evaluates ∇φ from the pair
    /// channels, on the streaming schedule it never reads kept values; both give TanhRidge's bits.</summary>
    [Fact]
    public void TheCachedBackwardUsesTheKeptValuesOnly()
    {
        var samples = TestData.Samples(L, D, 71);
        var particles = TestData.TanhParticles(N, D, 72);
        using var reference = new NetworkEvaluator<TanhRidge>(2) { Schedule = PairSchedule.Streaming };
        using var cached = new NetworkEvaluator<KeptTanhRidge>(2) { Schedule = PairSchedule.Cached, PairCacheBudgetBytes = 1L << 30 };
        using var streaming = new NetworkEvaluator<KeptTanhRidge>(2) { Schedule = PairSchedule.Streaming };
        var expected = particles.Clone();
        double loss = reference.WassersteinGradient(particles, samples, expected);

        KeptTanhRidge.ResetCounts();
        var v1 = particles.Clone();
        double loss1 = cached.WassersteinGradient(particles, samples, v1);
        Assert.True(cached.LastGradientUsedPairCache);
        Assert.Equal(0, KeptTanhRidge.GradientCalls);
        Assert.True(KeptTanhRidge.UnitAndCutCalls > 0);
        Assert.True(KeptTanhRidge.FromCutCalls > 0);

        KeptTanhRidge.ResetCounts();
        var v2 = particles.Clone();
        double loss2 = streaming.WassersteinGradient(particles, samples, v2);
        Assert.False(streaming.LastGradientUsedPairCache);
        Assert.Equal(0, KeptTanhRidge.FromCutCalls);
        Assert.Equal(0, KeptTanhRidge.UnitAndCutCalls);
        Assert.True(KeptTanhRidge.GradientCalls > 0);

        Assert.Equal(BitConverter.DoubleToInt64Bits(loss), BitConverter.DoubleToInt64Bits(loss1));
        Assert.Equal(BitConverter.DoubleToInt64Bits(loss), BitConverter.DoubleToInt64Bits(loss2));
        Assert.Equal(TestData.Bits(expected.Values), TestData.Bits(v1.Values));
        Assert.Equal(TestData.Bits(expected.Values), TestData.Bits(v2.Values));
    }

    /// <summary>A flow of a kept-value model on the default schedule (Auto caches from d = 16) follows the streaming flow to the bit.</summary>
    [Fact]
    public void AutoFlowOfAKeptValueModelEqualsTheStreamingFlow()
    {
        var a = ParticleSet.Create<TanhNetwork>(150, 40);
        a.InitializeGaussian(74);
        var options = new GradientFlowOptions { StepSize = 0.5, MaxSteps = 8, ThreadCount = 2 };
        TestData.AssertSameFlow<TanhNetwork>(a, TestData.Samples(300, 40, 73), options, options with { Schedule = PairSchedule.Streaming });
    }

    private static int CutCount<TModel>()
        where TModel : struct, INetworkModel<TModel> => TModel.CutCount;

    private static int Planes<TModel>()
        where TModel : struct, INetworkModel<TModel>
    {
        using var pool = new MeanField.Threading.TileWorkerPool(1);
        return new PairEngine<UnitOperator<TModel>>(PairLayout.For(TModel.Layout), pool, SimdWidth.Auto).CachePlanes;
    }

    private static void CheckCachedEqualsStreaming<TModel>(SimdWidth width, int threads)
        where TModel : struct, INetworkModel<TModel>
    {
        var samples = TestData.Samples(L, D, 75);
        var particles = ParticleSet.Create<TModel>(N, D);
        particles.InitializeGaussian(76);
        using var streaming = new NetworkEvaluator<TModel>(threads, width) { Schedule = PairSchedule.Streaming };
        using var cached = new NetworkEvaluator<TModel>(threads, width) { Schedule = PairSchedule.Cached, PairCacheBudgetBytes = 1L << 30 };
        var v1 = particles.Clone();
        var v2 = particles.Clone();

        double loss1 = streaming.WassersteinGradient(particles, samples, v1);
        double loss2 = cached.WassersteinGradient(particles, samples, v2);

        Assert.True(cached.LastGradientUsedPairCache);
        Assert.Equal(BitConverter.DoubleToInt64Bits(loss1), BitConverter.DoubleToInt64Bits(loss2));
        Assert.Equal(TestData.Bits(v1.Values), TestData.Bits(v2.Values));
    }
}

using MeanField.Models;
using MeanField.Reductions;
using MeanField.Runtime.Tests.Generated;
using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.Reductions;

/// <summary>
/// The blocked cache (specs/performance.md §5): the cached schedule runs block by block of sample tiles, each block's
/// forward row sums, residuals and share of the column gradient sums in turn, the particles' running sums carried
/// from block to block. Every block size must give the streaming schedule's bits (loss and velocity), the block size
/// must follow the block target, the thread count and the budget as specified, and a blocked step allocates nothing.
/// </summary>
public sealed class BlockedCacheTests
{
    private const int N = 203; // 4 particle tiles, the last partial
    private const int L = 517; // 9 sample tiles, the last partial
    private const int D = 7;

    /// <summary>One sample tile's column of cache blocks: 8 bytes · planes · 64 samples · 256 particles (n rounded up).
    /// The block target counts one plane (<c>PairCacheBlockBytes</c>), the budget every plane.</summary>
    private static long TileColumnBytes(int pairChannels) => 8L * pairChannels * 64 * 256;

    public static TheoryData<int, int, int> WidthsThreadsAndBlocks()
    {
        var data = new TheoryData<int, int, int>();
        foreach (SimdWidth width in new[] { SimdWidth.Scalar, SimdWidth.V128, SimdWidth.V256, SimdWidth.V512 })
        {
            if (width == SimdWidth.V512 && !System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
            {
                continue;
            }

            data.Add((int)width, 1, 1);
            data.Add((int)width, 1, 4);
            data.Add((int)width, 2, 2);
            data.Add((int)width, 2, 3); // 9 tiles = 3 + 3 + 3
            data.Add((int)width, 2, 5); // 9 tiles = 5 + 4
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsThreadsAndBlocks))]
    public void EveryBlockSizeGivesTheStreamingBits(int width, int threads, int blockTiles)
    {
        Check<TanhRidge>((SimdWidth)width, threads, blockTiles, TestData.TanhParticles(N, D, 81)); // kept values
        Check<GaussianBump>((SimdWidth)width, threads, blockTiles, TestData.BumpParticles(N, D, 82)); // pair channels
        var sink = ParticleSet.Create<KitchenSinkNetwork>(N, D);
        sink.InitializeGaussian(83);
        Check<KitchenSinkNetwork>((SimdWidth)width, threads, blockTiles, sink); // two pair channels, the general loop
        var bump = ParticleSet.Create<GaussianBumpNetwork>(N, D);
        bump.InitializeGaussian(84);
        Check<GaussianBumpNetwork>((SimdWidth)width, threads, blockTiles, bump); // two kept values for one pair channel
        var softplus = ParticleSet.Create<SoftplusNetwork>(N, D);
        softplus.InitializeGaussian(85);
        Check<SoftplusNetwork>((SimdWidth)width, threads, blockTiles, softplus); // two kept values, two function calls
    }

    /// <summary>The whole cache needs 9 tile columns; a budget of 3 (block target unbounded) runs blocks of 3.</summary>
    [Fact]
    public void TheBudgetBoundsTheBlock()
    {
        var samples = TestData.Samples(L, D, 84);
        var particles = TestData.TanhParticles(N, D, 85);
        using var evaluator = new NetworkEvaluator<TanhRidge>(2)
        {
            Schedule = PairSchedule.Cached, PairCacheBudgetBytes = (3 * TileColumnBytes(1)) + 8191, PairCacheBlockBytes = long.MaxValue,
        };

        AssertStreamingBits(evaluator, particles, samples, SimdWidth.Auto);

        Assert.True(evaluator.LastGradientUsedPairCache);
        Assert.Equal(3, evaluator.LastCacheBlockTiles);
    }

    /// <summary>Where not even one sample tile's column fits the budget, the step streams.</summary>
    [Fact]
    public void ABudgetBelowOneTileColumnStreams()
    {
        var samples = TestData.Samples(L, D, 86);
        var particles = TestData.TanhParticles(N, D, 87);
        using var evaluator = new NetworkEvaluator<TanhRidge>(1) { Schedule = PairSchedule.Cached, PairCacheBudgetBytes = TileColumnBytes(1) - 1 };
        using var oneColumn = new NetworkEvaluator<TanhRidge>(1) { Schedule = PairSchedule.Cached, PairCacheBudgetBytes = TileColumnBytes(1) };

        evaluator.WassersteinGradient(particles, samples, particles.Clone());
        oneColumn.WassersteinGradient(particles, samples, particles.Clone());

        Assert.False(evaluator.LastGradientUsedPairCache);
        Assert.Equal(0, evaluator.LastCacheBlockTiles);
        Assert.True(oneColumn.LastGradientUsedPairCache);
        Assert.Equal(1, oneColumn.LastCacheBlockTiles);
    }

    /// <summary>
    /// A block target that holds fewer tile columns than threads would leave a thread idle in the block's forward pass:
    /// the whole cache runs instead (budget permitting).
    /// </summary>
    [Fact]
    public void ATargetBelowOneTileColumnPerThreadCachesWhole()
    {
        var samples = TestData.Samples(L, D, 88);
        var particles = TestData.TanhParticles(N, D, 89);
        using var evaluator = new NetworkEvaluator<TanhRidge>(2) { Schedule = PairSchedule.Cached, PairCacheBlockBytes = TileColumnBytes(1) };

        evaluator.WassersteinGradient(particles, samples, particles.Clone());

        Assert.Equal(9, evaluator.LastCacheBlockTiles);
    }

    /// <summary>
    /// The same small target where the whole cache does not fit the budget (5 tile columns of 9): blocks of one sample tile
    /// per thread, the least memory that keeps every thread busy; the streaming bits.
    /// </summary>
    [Fact]
    public void ABudgetBoundCacheRunsOneTilePerThread()
    {
        var samples = TestData.Samples(L, D, 94);
        var particles = TestData.TanhParticles(N, D, 95);
        using var evaluator = new NetworkEvaluator<TanhRidge>(2)
        {
            Schedule = PairSchedule.Cached, PairCacheBlockBytes = TileColumnBytes(1), PairCacheBudgetBytes = 5 * TileColumnBytes(1),
        };

        AssertStreamingBits(evaluator, particles, samples, SimdWidth.Auto);

        Assert.Equal(2, evaluator.LastCacheBlockTiles);
    }

    /// <summary>
    /// The defaults as a user gets them (Auto, 256 MiB budget, 4 MiB block target): n = 2560 particles make a tile column
    /// of 40 · 32 KiB = 1.25 MiB, so 3 sample tiles per block, and L = 512 samples run as blocks of 3, 3 and 2. Fifteen
    /// steps of the flow reproduce the streaming flow to the bit.
    /// </summary>
    [Fact]
    public void TheDefaultBlocksAndTheFlowKeepsTheStreamingTrajectory()
    {
        var samples = TestData.Samples(512, 32, 90);
        using (var evaluator = new NetworkEvaluator<TanhNetwork>(2))
        {
            var start = ParticleSet.Create<TanhNetwork>(2560, 32);
            start.InitializeGaussian(92);
            evaluator.WassersteinGradient(start, samples, start.Clone());
            Assert.Equal(3, evaluator.LastCacheBlockTiles);
        }

        var start2 = ParticleSet.Create<TanhNetwork>(2560, 32);
        start2.InitializeGaussian(93);
        var options = new GradientFlowOptions { StepSize = 0.5, MaxSteps = 15, ThreadCount = 2 };
        TestData.AssertSameFlow<TanhNetwork>(start2, samples, options, options with { Schedule = PairSchedule.Streaming });
    }

    private static void Check<TModel>(SimdWidth width, int threads, int blockTiles, ParticleSet particles)
        where TModel : struct, INetworkModel<TModel>
    {
        var samples = TestData.Samples(L, D, 80);
        using var blocked = new NetworkEvaluator<TModel>(threads, width)
        {
            Schedule = PairSchedule.Cached, PairCacheBlockBytes = blockTiles * TileColumnBytes(1),
        };

        AssertStreamingBits(blocked, particles, samples, width, steps: 2); // a second step: the carry starts afresh

        Assert.Equal(blockTiles, blocked.LastCacheBlockTiles);
    }

    /// <summary>
    /// <paramref name="steps"/> gradients by <paramref name="evaluator"/> give a streaming evaluator's loss and velocity
    /// bits (same thread count and width).
    /// </summary>
    private static void AssertStreamingBits<TModel>(NetworkEvaluator<TModel> evaluator, ParticleSet particles, SampleSet samples, SimdWidth width, int steps = 1)
        where TModel : struct, INetworkModel<TModel>
    {
        using var streaming = new NetworkEvaluator<TModel>(evaluator.ThreadCount, width) { Schedule = PairSchedule.Streaming };
        var expected = particles.Clone();
        double loss = streaming.WassersteinGradient(particles, samples, expected);
        for (int k = 0; k < steps; k++)
        {
            var velocity = particles.Clone();
            Assert.Equal(BitConverter.DoubleToInt64Bits(loss), BitConverter.DoubleToInt64Bits(evaluator.WassersteinGradient(particles, samples, velocity)));
            Assert.Equal(TestData.Bits(expected.Values), TestData.Bits(velocity.Values));
        }
    }
}

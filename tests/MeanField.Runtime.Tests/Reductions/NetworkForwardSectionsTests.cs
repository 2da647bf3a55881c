using MeanField.Reductions;
using MeanField.Runtime.Tests.TestModels;
using MeanField.Threading;

namespace MeanField.Runtime.Tests.Reductions;

/// <summary>
/// The forward pass's sections of the particles (NetworkEvaluator.ForwardSections; specs/performance.md §5, "Shares"):
/// its work items run section-major, section s over the particle tiles of worker s's share of the backward's items on
/// two threads, each sample tile once per section, each section's sums at its own offset.
/// </summary>
public sealed class NetworkForwardSectionsTests
{
    /// <summary>
    /// The forward sum is the two sections' sums added (specs/gradient-flow.md, "Determinism"), to the bit: with n = 256
    /// particles (4 tiles: sections of particles 0–127 and 128–255) division by n is exact, so n·f of a network whose
    /// second section has c = 0 is the first section's sum S₀ exactly (its terms are ±0), likewise S₁, and f of the
    /// whole network must be (S₀ + S₁)/n. One running sum over all particles would differ in the last bit for some of
    /// the 517 samples.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ThePredictionIsTheSumOfTheTwoSectionsSums(int threads)
    {
        const int n = 256, l = 517, d = 7;
        ParticleSet all = TestData.TanhParticles(n, d, 91);
        SampleSet samples = TestData.Samples(l, d, 92);
        ParticleSet first = all.Clone(), second = all.Clone();
        first.Scalar("c")[(n / 2)..].Clear();
        second.Scalar("c")[..(n / 2)].Clear();
        using var evaluator = new NetworkEvaluator<TanhRidge>(threads);
        double[] f = new double[l], f0 = new double[l], f1 = new double[l];
        evaluator.Predict(all, samples, f);
        evaluator.Predict(first, samples, f0);
        evaluator.Predict(second, samples, f1);

        var expected = new double[l];
        for (int i = 0; i < l; i++)
        {
            expected[i] = ((f0[i] * n) + (f1[i] * n)) / n;
        }

        Assert.Equal(TestData.Bits(expected), TestData.Bits(f));
    }

    [Theory]
    [InlineData(64, 517, 1)] // one particle tile: one section
    [InlineData(203, 517, 1)] // 4 particle tiles, 9 sample tiles
    [InlineData(203, 517, 2)]
    [InlineData(1000, 64, 2)] // 16 particle tiles, one sample tile
    [InlineData(4096, 4096, 2)] // the W1 case: 64 and 64 tiles
    [InlineData(4096, 4096, 3)]
    [InlineData(1024, 16384, 2)] // 16 particle tiles, 256 sample tiles
    [InlineData(193, 700, 4)] // 4 particle tiles, an odd split
    public void TheItemsAreSectionMajorAndSectionSIsWorkerSsShareOfTheBackward(int n, int sampleCount, int threads)
    {
        int particleTiles = (n + Tiles.Particles - 1) / Tiles.Particles;
        int sampleTiles = (sampleCount + Tiles.Samples - 1) / Tiles.Samples;
        int sections = NetworkEvaluator<TanhRidge>.SectionCount(n);
        Assert.Equal(Math.Min(2, particleTiles), sections);
        foreach ((int t0, int t1) in new[] { (0, sampleTiles), (sampleTiles / 3, sampleTiles) })
        {
            var items = new PairWorkItem[sections * (t1 - t0)];
            int count = NetworkEvaluator<TanhRidge>.ForwardItems(items, n, t0, t1, sampleCount, threads);
            Assert.Equal(0, count % sections);
            int groups = count / sections;
            for (int s = 0; s < sections; s++)
            {
                // The backward's column items are the particle tiles in order; worker s of 2 claims these first.
                int start = TileWorkerPool.ShareStart(s, particleTiles, sections) * Tiles.Particles;
                int stop = Math.Min(n, TileWorkerPool.ShareStart(s + 1, particleTiles, sections) * Tiles.Particles);
                var covered = new List<int>();
                for (int k = s * groups; k < (s + 1) * groups; k++)
                {
                    PairWorkItem item = items[k];
                    Assert.Equal((start, stop, s * sampleCount), (item.Start, item.End, item.Offset));
                    int first = item.Tile * Tiles.Samples;
                    Assert.InRange(item.Count, 1, PairEngine<UnitOperator<TanhRidge>>.RowGroupTiles * Tiles.Samples);
                    Assert.True(first + item.Count <= sampleCount, $"item {k} runs past the samples");
                    for (int l = first; l < first + item.Count; l += Tiles.Samples)
                    {
                        covered.Add(l / Tiles.Samples);
                    }
                }

                Assert.Equal(Enumerable.Range(t0, t1 - t0), covered);
            }

            if (sections == 2 && threads == 2)
            {
                // Under contiguous shares worker 0 claims the first half of the items: section 0, all of it.
                Assert.Equal(groups, TileWorkerPool.ShareStart(1, count, 2));
            }
        }
    }
}

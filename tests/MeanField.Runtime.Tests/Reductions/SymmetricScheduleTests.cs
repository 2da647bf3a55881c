using MeanField.Models;
using MeanField.Reductions;
using MeanField.Runtime.Tests.TestModels;
using MeanField.Threading;

namespace MeanField.Runtime.Tests.Reductions;

/// <summary>
/// The symmetric schedule of the column gradient sums (<see cref="PairEngine{TOp}.RunSymmetric"/>,
/// specs/performance.md §3.1): its round-robin rounds, its sums against the ordered schedule's at every SIMD width, its
/// bits across thread counts, and the layouts it refuses.
/// </summary>
public sealed class SymmetricScheduleTests
{
    public static TheoryData<int> Widths()
    {
        var data = new TheoryData<int>();
        foreach (SimdWidth width in new[] { SimdWidth.Scalar, SimdWidth.V128, SimdWidth.V256, SimdWidth.V512 })
        {
            if (width != SimdWidth.V512 || System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
            {
                data.Add((int)width);
            }
        }

        return data;
    }

    /// <summary>Every two tiles meet in exactly one round, as (lower, higher), and no tile plays twice in a round.</summary>
    [Fact]
    public void EveryPairOfTilesMeetsOnceAndNoTileTwiceInARound()
    {
        for (int tiles = 1; tiles <= 41; tiles++)
        {
            var met = new int[tiles, tiles];
            int[] pairs = new int[PairEngine<KernelOperator<ArcCosine>>.RoundRobinSize(tiles)];
            int rounds = PairEngine<KernelOperator<ArcCosine>>.RoundRobinSize(tiles) - 1;
            for (int round = 0; round < rounds; round++)
            {
                int count = PairEngine<KernelOperator<ArcCosine>>.RoundPairs(round, tiles, pairs);
                Assert.Equal(tiles / 2, count); // a full round: every tile but the one with the bye
                var playing = new HashSet<int>();
                for (int k = 0; k < count; k++)
                {
                    int lower = pairs[2 * k], higher = pairs[(2 * k) + 1];
                    Assert.True(lower < higher && higher < tiles, $"tiles {tiles}, round {round}: ({lower}, {higher})");
                    Assert.True(playing.Add(lower) && playing.Add(higher), $"tiles {tiles}, round {round}: a tile plays twice");
                    met[lower, higher]++;
                }
            }

            for (int i = 0; i < tiles; i++)
            {
                for (int j = i + 1; j < tiles; j++)
                {
                    Assert.True(met[i, j] == 1, $"tiles {tiles}: ({i}, {j}) met {met[i, j]} times");
                }
            }
        }
    }

    /// <summary>
    /// Under the pool's contiguous shares (TileWorkerPool, specs/performance.md §5 "Shares") the rounds keep each tile
    /// with one of two workers: slot k of a round meets tiles round ± k, the first half of the slots is worker 0's, and
    /// over all the rounds of a step a tile changes worker at most twice — so its running sums move between the cores
    /// at most twice a step. (The pool before the shares handed each block to whichever worker asked next, which moved a
    /// tile about every other round; the same shares over the blocks sorted by tile would move some tiles four times.)
    /// </summary>
    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(127)]
    [InlineData(128)] // n = 8192
    [InlineData(129)]
    public void UnderContiguousSharesATileChangesWorkerAtMostTwiceAStep(int tiles)
    {
        int size = PairEngine<KernelOperator<ArcCosine>>.RoundRobinSize(tiles);
        int[] pairs = new int[size];
        var owner = new int?[tiles];
        var moves = new int[tiles];
        for (int round = 0; round < size - 1; round++)
        {
            int count = PairEngine<KernelOperator<ArcCosine>>.RoundPairs(round, tiles, pairs);
            int half = TileWorkerPool.ShareStart(1, count, 2);
            for (int k = 0; k < count; k++)
            {
                int worker = k < half ? 0 : 1;
                foreach (int tile in new[] { pairs[2 * k], pairs[(2 * k) + 1] })
                {
                    if (owner[tile] is int previous && previous != worker)
                    {
                        moves[tile]++;
                    }

                    owner[tile] = worker;
                }
            }
        }

        Assert.All(moves, m => Assert.InRange(m, 0, 2));
    }

    /// <summary>
    /// Both schedules add the same n terms per sum, in other orders (and the symmetric one evaluates k(b, a) where the
    /// ordered one evaluates k(a, b): equal up to a few ulps of the kernel's rounding). For sums of n = 300 terms of
    /// size ≤ O(1) recursive summation errs by at most ~2nε·Σ|terms| ≈ 1.3e-13·Σ|terms| (Higham, Accuracy and Stability,
    /// §4.2); the tolerance 1e-11 · (1 + Σ|terms| bound) is 75 times that, and far below any error that a lost or doubled
    /// block would cause (one block of 64 × 64 changes a sum by a relative ~1/5).
    /// </summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void SymmetricSumsMatchTheOrderedSchedule(int width)
    {
        // 300 = 4 full tiles + 44: the last tile is partial and is always a block's B tile.
        Compare<ArcCosine>(ArcCosine.Particles(300, 6, 3), (SimdWidth)width);              // w·w′, 2 scalars
        Compare<GaussianKernel>(GaussianKernel.Particles(300, 6, 4), (SimdWidth)width);    // |z − z′|²
        Compare<ConfinedBumps>(ConfinedBumps.Particles(300, 6, 5), (SimdWidth)width);
        ParticleSet generated = Create<ArcCosineKernel>(300, 6);
        generated.InitializeGaussian(6);
        Compare<ArcCosineKernel>(generated, (SimdWidth)width);                               // the generator's operators
        ParticleSet scalars = Create<Claims.QuadraticInteraction>(300, 1);
        scalars.InitializeGaussian(7);
        Compare<Claims.QuadraticInteraction>(scalars, (SimdWidth)width);                    // scalars only, no pair channel
    }

    /// <summary>
    /// Values only (the energy's sums): Σ_j ω_j k(i, j) against the row sums of the ordered schedule, which compute
    /// Σ_j ω_j k(j, i) — the same by symmetry, to rounding (the tolerance of the test above); Sums and PairSums untouched.
    /// </summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void SymmetricValuesMatchTheRowSums(int width)
    {
        CompareValues<ArcCosine>(ArcCosine.Particles(300, 6, 13), (SimdWidth)width);
        CompareValues<GaussianKernel>(GaussianKernel.Particles(300, 6, 14), (SimdWidth)width);
        ParticleSet generated = Create<ArcCosineKernel>(300, 6);
        generated.InitializeGaussian(16);
        CompareValues<ArcCosineKernel>(generated, (SimdWidth)width);
    }

    /// <summary>The smallest shapes: two tiles, the second of one point (65); two full tiles, one round (128); three (129).</summary>
    [Theory]
    [InlineData(65)]
    [InlineData(128)]
    [InlineData(129)]
    public void FewTilesMatchTheOrderedSchedule(int n)
    {
        Compare<ArcCosine>(ArcCosine.Particles(n, 3, (ulong)n), SimdWidth.Auto);
        CompareValues<GaussianKernel>(GaussianKernel.Particles(n, 3, (ulong)n + 1), SimdWidth.Auto);
    }

    /// <summary>
    /// d = 1: every pair of arc-cosine units is parallel or antiparallel (u = ±1), the kernel's series and its clamp at
    /// u = −1, where B's derivatives come from the other branch than in the bulk; and a third of the weights 0.
    /// </summary>
    [Fact]
    public void ParallelUnitsAndZeroWeightsMatchTheOrderedSchedule()
    {
        ParticleSet generated = Create<ArcCosineKernel>(200, 1);
        generated.InitializeGaussian(23);
        Compare<ArcCosineKernel>(generated, SimdWidth.Auto);

        ParticleSet sparse = ArcCosine.Particles(200, 4, 29);
        Compare<ArcCosine>(sparse, SimdWidth.Auto, zeroEvery: 3);
    }

    /// <summary>11 tiles (odd: a bye each round), up to 5 blocks per round: 1, 2 and 3 threads give the same bits.</summary>
    [Fact]
    public void OneTwoAndThreeThreadsGiveTheSameBits()
    {
        ParticleSet particles = ArcCosine.Particles(11 * 64 - 17, 5, 9);
        Weigh(particles, 9);
        Outputs one = RunSymmetric<ArcCosine>(particles, SimdWidth.Auto, threads: 1);
        double[] oneValues = RunSymmetricValues<ArcCosine>(particles, SimdWidth.Auto, threads: 1);
        foreach (int threads in new[] { 2, 3 })
        {
            Outputs other = RunSymmetric<ArcCosine>(particles, SimdWidth.Auto, threads);
            Assert.Equal(one.Values, other.Values);
            Assert.Equal(one.Sums, other.Sums);
            Assert.Equal(one.PairSums, other.PairSums);
            Assert.Equal(oneValues, RunSymmetricValues<ArcCosine>(particles, SimdWidth.Auto, threads));
        }
    }

    /// <summary>
    /// The off-diagonal blocks' two-lane-group strips (<c>PairedStrips</c>, the default with 32 vector registers) and the
    /// one-group strips add the same terms in the same order: the same bits at every width, gradients and values only,
    /// for layouts with one and two A-block inputs (the paired strip's limit), one pair channel or none, and a partial
    /// last tile.
    /// </summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void PairedAndSingleStripsGiveTheSameBits(int width)
    {
        ParticleSet generated = Create<ArcCosineKernel>(300, 6);
        generated.InitializeGaussian(31);
        ComparePaired<ArcCosineKernel>(generated, (SimdWidth)width);                      // 2 block inputs, w·w′
        ComparePaired<ArcCosine>(ArcCosine.Particles(300, 6, 37), (SimdWidth)width);      // 1 block input, w·w′
        ComparePaired<GaussianKernel>(GaussianKernel.Particles(300, 6, 41), (SimdWidth)width);
        ParticleSet scalars = Create<Claims.QuadraticInteraction>(300, 1);
        scalars.InitializeGaussian(43);
        ComparePaired<Claims.QuadraticInteraction>(scalars, (SimdWidth)width);            // no pair channel
    }

    private static void ComparePaired<TModel>(ParticleSet particles, SimdWidth width)
        where TModel : struct, IInteractionModel<TModel>
    {
        Weigh(particles, 47);
        Outputs paired = RunSymmetric<TModel>(particles, width, threads: 1, paired: true);
        Outputs single = RunSymmetric<TModel>(particles, width, threads: 1, paired: false);
        string name = typeof(TModel).Name;
        Assert.True(paired.Values.AsSpan().SequenceEqual(single.Values), $"{name} values");
        Assert.True(paired.Sums.AsSpan().SequenceEqual(single.Sums), $"{name} sums");
        Assert.True(paired.PairSums.AsSpan().SequenceEqual(single.PairSums), $"{name} pair sums");

        // Values only (the energy's run): the fused kernel's value with its gradient unread against the span operator K.
        double[] pairedValues = RunSymmetricValues<TModel>(particles, width, threads: 1, paired: true);
        double[] singleValues = RunSymmetricValues<TModel>(particles, width, threads: 1, paired: false);
        Assert.True(pairedValues.AsSpan().SequenceEqual(singleValues), $"{name} values only");
    }

    [Fact]
    public void TheEvaluationCountIsTheUnorderedPairsAndTheDiagonalBlocks()
    {
        ParticleSet particles = ArcCosine.Particles(300, 4, 2);
        Weigh(particles, 2);
        using var pool = new TileWorkerPool(1);
        var engine = new PairEngine<KernelOperator<ArcCosine>>(PairLayout.For(ArcCosine.LayoutInstance), pool, SimdWidth.Auto);
        var side = new PairSide(ArcCosine.LayoutInstance);
        side.Prepare(particles, [], 0);
        particles.Weights.CopyTo(side.Weights);

        // Off-diagonal blocks once each: (300² − Σ_t c_t²)/2 pairs; diagonal blocks whole: 4·64² + 44².
        long diagonal = (4L * 64 * 64) + (44 * 44);
        Assert.Equal(((300L * 300) - diagonal) / 2 + diagonal, engine.RunSymmetric(side, new double[side.Capacity]));
    }

    /// <summary>A network layout (samples on side B) and an interaction whose pair channel reads two vectors are refused.</summary>
    [Fact]
    public void LayoutsThatAreNotSymmetricAreRefused()
    {
        using var pool = new TileWorkerPool(1);
        var network = new PairEngine<UnitOperator<TanhRidge>>(PairLayout.For(TanhRidge.LayoutInstance), pool, SimdWidth.Auto);
        Assert.False(network.SupportsSymmetric);
        Assert.Throws<InvalidOperationException>(() => network.RunSymmetric(new PairSide(), []));

        var crossed = new InteractionLayout("Crossed", ["c"], ["w", "v"], [], [new PairChannel(0, 1, PairChannelKind.Dot)], hasPotential: false, hasConfinement: false);
        Assert.False(new PairEngine<KernelOperator<ArcCosine>>(PairLayout.For(crossed), pool, SimdWidth.Auto).SupportsSymmetric);
        Assert.True(new PairEngine<KernelOperator<ArcCosine>>(PairLayout.For(ArcCosine.LayoutInstance), pool, SimdWidth.Auto).SupportsSymmetric);
    }

    private static void Compare<TModel>(ParticleSet particles, SimdWidth width, int zeroEvery = 0)
        where TModel : struct, IInteractionModel<TModel>
    {
        Weigh(particles, 17);
        for (int i = 0; zeroEvery > 0 && i < particles.Count; i += zeroEvery)
        {
            particles.Weights[i] = 0;
        }

        Outputs symmetric = RunSymmetric<TModel>(particles, width, threads: 2);
        Outputs ordered = RunOrdered<TModel>(particles, width);
        int n = particles.Count;
        string name = typeof(TModel).Name;
        AssertClose(ordered.Values, symmetric.Values, $"{name} values");
        AssertClose(ordered.Sums, symmetric.Sums, $"{name} sums");
        AssertClose(ordered.PairSums, symmetric.PairSums, $"{name} pair sums");
        Assert.Equal(n, ordered.Values.Length);
    }

    private static void CompareValues<TModel>(ParticleSet particles, SimdWidth width)
        where TModel : struct, IInteractionModel<TModel>
    {
        Weigh(particles, 19);
        int n = particles.Count;
        double[] symmetric = RunSymmetricValues<TModel>(particles, width, threads: 2);

        using var pool = new TileWorkerPool(1);
        var engine = new PairEngine<KernelOperator<TModel>>(PairLayout.For(TModel.Layout), pool, width);
        PairSide side = Place<TModel>(particles, pool);
        int tiles = (n + Tiles.Particles - 1) / Tiles.Particles;
        var items = new PairWorkItem[tiles];
        for (int t = 0; t < tiles; t++)
        {
            items[t] = new PairWorkItem(t, Math.Min(Tiles.Particles, n - (t * Tiles.Particles)), 0, n);
        }

        double[] rows = new double[side.Capacity];
        engine.RunRowSums(side, side, items, tiles, rows);
        AssertClose(rows.AsSpan(0, n).ToArray(), symmetric, $"{typeof(TModel).Name} values only");
    }

    /// <summary>The values-only symmetric run; its engine's Sums and PairSums must stay empty (no gradient run).</summary>
    private static double[] RunSymmetricValues<TModel>(ParticleSet particles, SimdWidth width, int threads, bool? paired = null)
        where TModel : struct, IInteractionModel<TModel>
    {
        using var pool = new TileWorkerPool(threads);
        var engine = new PairEngine<KernelOperator<TModel>>(PairLayout.For(TModel.Layout), pool, width);
        engine.PairedStrips = paired ?? engine.PairedStrips;
        PairSide side = Place<TModel>(particles, pool);
        double[] values = new double[side.Capacity];
        engine.RunSymmetric(side, values, gradients: false);
        Assert.Empty(engine.Sums);
        return values.AsSpan(0, particles.Count).ToArray();
    }

    /// <summary>|symmetric − ordered| ≤ 1e-11·(1 + max |ordered|) entrywise (see the test above for why).</summary>
    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 1;
        foreach (double value in expected)
        {
            scale = Math.Max(scale, Math.Abs(value));
        }

        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(double.IsFinite(actual[i]), $"{what}[{i}] = {actual[i]}");
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-11 * scale, $"{what}[{i}]: ordered {expected[i]:R}, symmetric {actual[i]:R}");
        }
    }

    /// <summary>Non-uniform weights in [0.5, 1.5)/n, so that A's and B's weights enter differently.</summary>
    private static void Weigh(ParticleSet particles, ulong seed)
    {
        var random = new Random((int)seed);
        for (int i = 0; i < particles.Count; i++)
        {
            particles.Weights[i] = (0.5 + random.NextDouble()) / particles.Count;
        }
    }

    private static ParticleSet Create<TModel>(int count, int dimension)
        where TModel : struct, IInteractionModel<TModel> => ParticleSet.Create(TModel.Layout, count, dimension);

    private sealed record Outputs(double[] Values, double[] Sums, double[] PairSums);

    private static Outputs RunSymmetric<TModel>(ParticleSet particles, SimdWidth width, int threads, bool? paired = null)
        where TModel : struct, IInteractionModel<TModel>
    {
        using var pool = new TileWorkerPool(threads);
        var engine = new PairEngine<KernelOperator<TModel>>(PairLayout.For(TModel.Layout), pool, width);
        engine.PairedStrips = paired ?? engine.PairedStrips;
        PairSide side = Place<TModel>(particles, pool);
        double[] values = new double[side.Capacity];
        engine.RunSymmetric(side, values);
        return Collect(engine, side, values);
    }

    private static Outputs RunOrdered<TModel>(ParticleSet particles, SimdWidth width)
        where TModel : struct, IInteractionModel<TModel>
    {
        using var pool = new TileWorkerPool(1);
        var engine = new PairEngine<KernelOperator<TModel>>(PairLayout.For(TModel.Layout), pool, width);
        PairSide side = Place<TModel>(particles, pool);
        int n = particles.Count;
        int tiles = (n + Tiles.Particles - 1) / Tiles.Particles;
        var items = new PairWorkItem[tiles];
        for (int t = 0; t < tiles; t++)
        {
            items[t] = new PairWorkItem(t, Math.Min(Tiles.Particles, n - (t * Tiles.Particles)), 0, n);
        }

        double[] values = new double[side.Capacity];
        engine.Run(side, side, items, tiles, values, gradients: true, accumulate: false);
        return Collect(engine, side, values);
    }

    private static PairSide Place<TModel>(ParticleSet particles, TileWorkerPool pool)
        where TModel : struct, IInteractionModel<TModel>
    {
        var side = PairSide.Of<TModel>();
        side.Prepare(particles, [], 0, pool);
        particles.Weights.CopyTo(side.Weights);
        return side;
    }

    /// <summary>The outputs of the n points (the padded slots are not outputs).</summary>
    private static Outputs Collect<TModel>(PairEngine<KernelOperator<TModel>> engine, PairSide side, double[] values)
        where TModel : struct, IInteractionModel<TModel>
    {
        int n = side.Count, capacity = side.Capacity, d = side.Dimension;
        var sums = new List<double>();
        int rows = engine.Sums.Length / capacity;
        for (int k = 0; k < rows; k++)
        {
            sums.AddRange(engine.Sums.AsSpan(k * capacity, n).ToArray());
        }

        var pairSums = new List<double>();
        foreach (double[] p in engine.PairSums)
        {
            pairSums.AddRange(p.AsSpan(0, n * d).ToArray());
        }

        return new Outputs(values.AsSpan(0, n).ToArray(), [.. sums], [.. pairSums]);
    }
}

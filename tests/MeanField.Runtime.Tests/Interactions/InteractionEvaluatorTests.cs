using MeanField.Models;
using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.Interactions;

/// <summary>
/// <see cref="InteractionEvaluator{TModel}"/> against the naive double loop (<see cref="InteractionReference{TModel}"/>),
/// central finite differences of E, and the stated identities (specs/interactions.md, "Evaluation").
/// </summary>
public sealed class InteractionEvaluatorTests
{
    // n = 150 is not a multiple of the 64-point tile, so every call runs a partial tile (padded lanes).
    private const int N = 150;
    private const int D = 5;

    /// <summary>
    /// Gaussian particles of the generated arc-cosine kernel (src/Models), whose kernel reads |w| and 1/|w| as side values
    /// (specs/interactions.md, "Side values"): the engine's prepared sides, every strip's loads and the diagonal's
    /// inputs are checked through it.
    /// </summary>
    internal static ParticleSet GeneratedArcCosine(int count, int dimension, ulong seed)
    {
        var particles = ParticleSet.Create(LayoutOf<ArcCosineKernel>(), count, dimension);
        particles.InitializeGaussian(seed);
        return particles;
    }

    private static InteractionLayout LayoutOf<T>()
        where T : struct, IInteractionModel<T> => T.Layout;

    public static TheoryData<string, bool, bool> Cases()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (string model in new[] { "ArcCosine", "ArcCosineKernel", "GaussianKernel", "ConfinedBumps" })
        {
            foreach (bool self in new[] { true, false })
            {
                foreach (bool reference in new[] { false, true })
                {
                    data.Add(model, self, reference);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExactMatchesNaiveDoubleLoop(string model, bool includeSelf, bool withReference)
    {
        switch (model)
        {
            case "ArcCosine":
                CheckAgainstReference<ArcCosine>(ArcCosine.Particles, includeSelf, withReference);
                break;
            case "ArcCosineKernel":
                CheckAgainstReference<ArcCosineKernel>(GeneratedArcCosine, includeSelf, withReference);
                break;
            case "GaussianKernel":
                CheckAgainstReference<GaussianKernel>(GaussianKernel.Particles, includeSelf, withReference);
                break;
            default:
                CheckAgainstReference<ConfinedBumps>(ConfinedBumps.Particles, includeSelf, withReference);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientMatchesFiniteDifferencesOfEnergy(string model, bool includeSelf, bool withReference)
    {
        switch (model)
        {
            case "ArcCosine":
                CheckFiniteDifferences<ArcCosine>(ArcCosine.Particles, includeSelf, withReference);
                break;
            case "ArcCosineKernel":
                CheckFiniteDifferences<ArcCosineKernel>(GeneratedArcCosine, includeSelf, withReference);
                break;
            case "GaussianKernel":
                CheckFiniteDifferences<GaussianKernel>(GaussianKernel.Particles, includeSelf, withReference);
                break;
            default:
                CheckFiniteDifferences<ConfinedBumps>(ConfinedBumps.Particles, includeSelf, withReference);
                break;
        }
    }

    [Fact]
    public void ReferenceMeasureEnergyIsZeroAtTheReferenceAndNonNegativeElsewhere()
    {
        ParticleSet teacher = Weighted(ArcCosine.Particles(7, D, 11), 12);
        using var evaluator = new InteractionEvaluator<ArcCosine>(new InteractionEvaluatorOptions { Reference = teacher, ThreadCount = 1 });

        // μ = ν: E = ½∬K d(ν − ν)d(ν − ν) = 0 up to the cancellation of three sums of size ~ ReferenceEnergy
        // (each rounded to a few ulps of ~50 terms): |E| ≤ 1e-13 · (1 + ReferenceEnergy).
        double atTeacher = evaluator.Energy(teacher.Clone());
        Assert.True(Math.Abs(atTeacher) <= 1e-13 * (1 + evaluator.ReferenceEnergy), $"E(ν) = {atTeacher}");
        Assert.True(evaluator.ReferenceEnergy > 0);

        // The arc-cosine kernel is positive semi-definite (a covariance of ReLU features), so E(μ) = ½‖μ − ν‖²_K ≥ 0.
        for (ulong seed = 20; seed < 30; seed++)
        {
            ParticleSet student = Weighted(ArcCosine.Particles(1 + (int)(seed % 9), D, seed), seed);
            double e = evaluator.Energy(student);
            Assert.True(e >= 0, $"E = {e} for seed {seed}");
        }
    }

    [Fact]
    public void TwoParticlesAtOnePointEqualOneWithTheirSummedWeight()
    {
        // Self-pair included, E and V depend on μ only (not on how its mass is split into particles).
        ParticleSet many = Weighted(ConfinedBumps.Particles(9, D, 3), 4);
        ParticleSet split = ParticleSet.Create(ConfinedBumps.LayoutInstance, 10, D);
        for (int i = 0; i < 10; i++)
        {
            int source = Math.Min(i, 8); // particles 8 and 9 both at the point of particle 8
            foreach (var (f, _) in Enumerate(many))
            {
                split.Values[InteractionReference<ConfinedBumps>.ValueIndex(split, i, f)] = many.Values[InteractionReference<ConfinedBumps>.ValueIndex(many, source, f)];
            }

            split.Weights[i] = many.Weights[source] / (source == 8 ? 2 : 1);
        }

        ParticleSet probes = ConfinedBumps.Particles(5, D, 5);
        using var evaluator = new InteractionEvaluator<ConfinedBumps>(new InteractionEvaluatorOptions { ThreadCount = 1 });
        double e1 = evaluator.Energy(many);
        double e2 = evaluator.Energy(split);
        var v1 = new double[5];
        var v2 = new double[5];
        evaluator.FirstVariation(many, probes, v1);
        evaluator.FirstVariation(split, probes, v2);

        // Same sums up to the order and grouping of ~100 terms of size O(1): 1e-13 relative.
        Assert.Equal(e1, e2, 1e-13 * (1 + Math.Abs(e1)));
        for (int b = 0; b < 5; b++)
        {
            Assert.Equal(v1[b], v2[b], 1e-13 * (1 + Math.Abs(v1[b])));
        }
    }

    [Fact]
    public void ArcCosineSelfPairAndParallelParticlesAreFiniteAndAnalytic()
    {
        // θ = (c, w), θ′ = (c′, 2w): α = 0, K = c c′ |w||w′| J(1)/(2π) = c c′ |w||w′|/2.
        double[] w = [0.3, -1.2, 0.7, 0.05, 2.0];
        double[] w2 = [.. w.Select(x => 2 * x)];
        double normW = Math.Sqrt(w.Sum(x => x * x));
        double c = 1.5, c2 = -0.8;
        // u = D/R is rounded to within a few ulps of 1 (then clamped) and J is π-Lipschitz with J(1) = π, so K is off
        // by a few ulps; 1e-12 relative is loose for that and still rejects the NaN or ∞ of differentiating acos at 1.
        const double Tolerance = 1e-12;
        double k = InteractionUnit.Kernel<ArcCosine>([c], w, [c2], w2, D);
        Assert.Equal(c * c2 * normW * 2 * normW / 2, k, Tolerance * Math.Abs(k));
        double kSelf = InteractionUnit.Kernel<ArcCosine>([c], w, [c], w, D);
        Assert.Equal(c * c * normW * normW / 2, kSelf, Tolerance * kSelf);

        var gsA = new double[1];
        var gvA = new double[D];
        var gsB = new double[1];
        var gvB = new double[D];
        InteractionUnit.KernelGradient<ArcCosine>([c], w, [c2], w2, D, gsA, gvA, gsB, gvB);
        Assert.All(gvA.Concat(gvB).Concat(gsA).Concat(gsB), g => Assert.True(double.IsFinite(g)));

        // At α = 0: ∂K/∂|w|² = c c′ R √(1 − u²)/(4π|w|²) = 0 and ∂K/∂(w·w′) = c c′ (π − acos 1)/(2π) = c c′/2, so
        // ∇_w K = c c′ w′/2. Also against central differences of K (h = 1e-6): J(cos α) = π cos α + α³/3 + …, so K is
        // C² across α = 0 and the truncation error is O(h²) ≈ 1e-12; rounding ε|K|/h ≈ 1e-10.
        for (int j = 0; j < D; j++)
        {
            Assert.Equal(c * c2 * w2[j] / 2, gvA[j], Tolerance * (1 + Math.Abs(gvA[j])));
        }

        for (int j = 0; j < D; j++)
        {
            double[] plus = [.. w];
            double[] minus = [.. w];
            plus[j] += 1e-6;
            minus[j] -= 1e-6;
            double fd = (InteractionUnit.Kernel<ArcCosine>([c], plus, [c2], w2, D) - InteractionUnit.Kernel<ArcCosine>([c], minus, [c2], w2, D)) / 2e-6;
            Assert.Equal(fd, gvA[j], 1e-7);
        }

        // Through the evaluator: two parallel particles, the self-pairs at α = 0 exactly.
        ParticleSet pair = ParticleSet.Create(ArcCosine.LayoutInstance, 2, D);
        pair.Scalar(0)[0] = c;
        pair.Scalar(0)[1] = c2;
        w.CopyTo(pair.Vector(0)[..D]);
        w2.CopyTo(pair.Vector(0)[D..]);
        using var evaluator = new InteractionEvaluator<ArcCosine>(new InteractionEvaluatorOptions { ThreadCount = 1 });
        ParticleSet gradient = ParticleSet.Create(ArcCosine.LayoutInstance, 2, D);
        double e = evaluator.Gradient(pair, gradient, [], 0);
        Assert.True(gradient.AllFinite());
        // E = ½ Σ_ij w_i w_j K_ij with w = ½.
        double expected = 0.125 * ((c * c * normW * normW / 2) + (2 * c * c2 * 2 * normW * normW / 2) + (c2 * c2 * 4 * normW * normW / 2));
        Assert.Equal(expected, e, Tolerance * Math.Abs(expected));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OneAndTwoThreadsAreBitIdentical(bool randomBatch)
    {
        ParticleSet particles = Weighted(ArcCosine.Particles(300, 16, 7), 8);
        ParticleSet teacher = ArcCosine.Particles(3, 16, 9);
        var options = new InteractionEvaluatorOptions
        {
            Reference = teacher,
            Method = randomBatch ? InteractionMethod.RandomBatch : InteractionMethod.Exact,
            BatchSize = 70,
            Seed = 5,
        };
        using var one = new InteractionEvaluator<ArcCosine>(options with { ThreadCount = 1 });
        using var two = new InteractionEvaluator<ArcCosine>(options with { ThreadCount = 2 });
        for (long step = 0; step < 3; step++)
        {
            ParticleSet g1 = ParticleSet.Create(ArcCosine.LayoutInstance, 300, 16);
            ParticleSet g2 = ParticleSet.Create(ArcCosine.LayoutInstance, 300, 16);
            var v1 = new double[300];
            var v2 = new double[300];
            double e1 = one.Gradient(particles, g1, v1, step);
            double e2 = two.Gradient(particles, g2, v2, step);
            Assert.Equal(BitConverter.DoubleToInt64Bits(e1), BitConverter.DoubleToInt64Bits(e2));
            Assert.True(g1.Values.SequenceEqual(g2.Values));
            Assert.True(v1.AsSpan().SequenceEqual(v2));
        }

        Assert.Equal(BitConverter.DoubleToInt64Bits(one.Energy(particles)), BitConverter.DoubleToInt64Bits(two.Energy(particles)));
    }

    [Fact]
    public void KernelEvaluationsCountTheUnorderedPairsExactAndNTimesPForRandomBatches()
    {
        const int n = 1000;
        const int p = 50;
        ParticleSet particles = ArcCosine.Particles(n, 4, 1);
        ParticleSet gradient = ParticleSet.Create(ArcCosine.LayoutInstance, n, 4);
        using var exact = new InteractionEvaluator<ArcCosine>(new InteractionEvaluatorOptions { ThreadCount = 1 });
        exact.Gradient(particles, gradient, [], 0);

        // Each unordered pair once (K is symmetric), the 64 × 64 diagonal blocks whole: 15 full tiles and one of 40.
        long diagonal = (15L * 64 * 64) + (40 * 40);
        Assert.Equal((((long)n * n) - diagonal) / 2 + diagonal, exact.KernelEvaluations);
        exact.Energy(particles);
        Assert.Equal(2 * ((((long)n * n) - diagonal) / 2 + diagonal), exact.KernelEvaluations); // the energy's sums: the same pairs

        using var batches = new InteractionEvaluator<ArcCosine>(new InteractionEvaluatorOptions { ThreadCount = 1, Method = InteractionMethod.RandomBatch, BatchSize = p });
        batches.Gradient(particles, gradient, [], 0);

        // 20 batches of 50: Σ_b m_b² = n·p pairs, plus n self-pair reweightings.
        Assert.Equal(((long)n * p) + n, batches.KernelEvaluations);

        // Batches of 2 (500 of them): 4 pairs each, 2n in all, plus n — O(n·p), however small p is.
        using var pairs = new InteractionEvaluator<ArcCosine>(new InteractionEvaluatorOptions { ThreadCount = 1, Method = InteractionMethod.RandomBatch, BatchSize = 2 });
        pairs.Gradient(particles, gradient, [], 0);
        Assert.Equal((2L * n) + n, pairs.KernelEvaluations);

        // Remainders: n = 1000, p = 333 → batches 333, 333, 334 (r = 1 joins the last one).
        using var odd = new InteractionEvaluator<ArcCosine>(new InteractionEvaluatorOptions { ThreadCount = 1, Method = InteractionMethod.RandomBatch, BatchSize = 333 });
        odd.Gradient(particles, gradient, [], 0);
        Assert.Equal((2L * 333 * 333) + (334L * 334) + n, odd.KernelEvaluations);
    }

    [Theory]
    [InlineData(40, 8, true)] // 5 equal batches
    [InlineData(40, 13, true)] // 13, 13, 14 (remainder 1 joins the last batch)
    [InlineData(40, 6, false)] // 6 × 6 and a batch of 4
    [InlineData(41, 3, true)] // 13 × 3 and a batch of 2: many batches share a tile, each on its own 8-slot group
    [InlineData(150, 70, false)] // 70, 70 and 10: batches that straddle tiles
    public void RandomBatchGradientIsUnbiased(int n, int p, bool includeSelf)
    {
        ParticleSet particles = Weighted(ConfinedBumps.Particles(n, 3, 1), 2);
        var options = new InteractionEvaluatorOptions { ThreadCount = 1, IncludeSelfPair = includeSelf, Reference = ConfinedBumps.Particles(2, 3, 4) };
        using var exact = new InteractionEvaluator<ConfinedBumps>(options);
        using var batches = new InteractionEvaluator<ConfinedBumps>(options with { Method = InteractionMethod.RandomBatch, BatchSize = p, Seed = 99 });
        ParticleSet g = ParticleSet.Create(ConfinedBumps.LayoutInstance, n, 3);
        var v = new double[n];
        double eExact = exact.Gradient(particles, g, v, 0);
        double[] exactGradient = g.Values.ToArray();
        double[] exactValues = [.. v];

        const int Steps = 4000;
        int length = exactGradient.Length;
        var sum = new double[length + n + 1];
        var sumSquares = new double[length + n + 1];
        for (long step = 0; step < Steps; step++)
        {
            double e = batches.Gradient(particles, g, v, step);
            for (int k = 0; k < length + n + 1; k++)
            {
                double x = k < length ? g.Values[k] : k < length + n ? v[k - length] : e;
                sum[k] += x;
                sumSquares[k] += x * x;
            }
        }

        // Each estimate is unbiased, and the steps' partitions are independent draws, so the mean of N = 4000 steps
        // differs from the exact value by about σ/√N (σ the per-step standard deviation, estimated from the same
        // draws). Allow 5σ/√N per component (plus 1e-12 for components the batches cannot change): with ~500
        // components a false failure has probability below 500 · 6e-7 ≈ 3e-4.
        int outside = 0;
        for (int k = 0; k < length + n + 1; k++)
        {
            double exactValue = k < length ? exactGradient[k] : k < length + n ? exactValues[k - length] : eExact;
            double mean = sum[k] / Steps;
            double sigma = Math.Sqrt(Math.Max(0, (sumSquares[k] / Steps) - (mean * mean)));
            if (Math.Abs(mean - exactValue) > (5 * sigma / Math.Sqrt(Steps)) + 1e-12)
            {
                outside++;
            }
        }

        Assert.Equal(0, outside);
    }

    [Fact]
    public void RandomBatchWithBatchAtLeastNIsExact()
    {
        ParticleSet particles = Weighted(GaussianKernel.Particles(30, 2, 1), 3);
        using var exact = new InteractionEvaluator<GaussianKernel>(new InteractionEvaluatorOptions { ThreadCount = 1 });
        using var batches = new InteractionEvaluator<GaussianKernel>(new InteractionEvaluatorOptions { ThreadCount = 1, Method = InteractionMethod.RandomBatch, BatchSize = 30 });
        ParticleSet g1 = ParticleSet.Create(GaussianKernel.LayoutInstance, 30, 2);
        ParticleSet g2 = ParticleSet.Create(GaussianKernel.LayoutInstance, 30, 2);
        Assert.Equal(exact.Gradient(particles, g1, [], 0), batches.Gradient(particles, g2, [], 7));
        Assert.True(g1.Values.SequenceEqual(g2.Values));
    }

    private static void CheckAgainstReference<TModel>(Func<int, int, ulong, ParticleSet> create, bool includeSelf, bool withReference)
        where TModel : struct, IInteractionModel<TModel>
    {
        ParticleSet mu = Weighted(create(N, D, 1), 2);
        ParticleSet? nu = withReference ? Weighted(create(5, D, 3), 4) : null;
        ParticleSet probes = create(70, D, 5);
        using var evaluator = new InteractionEvaluator<TModel>(new InteractionEvaluatorOptions { IncludeSelfPair = includeSelf, Reference = nu, ThreadCount = 2 });
        ParticleSet gradient = ParticleSet.Create(TModel.Layout, N, D);
        var v = new double[N];
        double e = evaluator.Gradient(mu, gradient, v, 0);
        double eReference = InteractionReference<TModel>.Energy(mu, nu, includeSelf);

        // The engine sums the same O(1) terms in another order (tiles, SIMD lanes, FMA, channels by a tile product):
        // differences are a few ulps of the ~N-term sums, far below 1e-11 relative to their size.
        const double Tolerance = 1e-11;
        Assert.Equal(eReference, e, Tolerance * (1 + Math.Abs(eReference)));
        Assert.Equal(eReference, evaluator.Energy(mu), Tolerance * (1 + Math.Abs(eReference)));
        for (int i = 0; i < N; i++)
        {
            var (value, grad) = InteractionReference<TModel>.FirstVariation(mu, nu, includeSelf, i);
            Assert.Equal(value, v[i], Tolerance * (1 + Math.Abs(value)));
            double scale = 1 + grad.Max(Math.Abs);
            for (int f = 0; f < grad.Length; f++)
            {
                Assert.Equal(grad[f], gradient.Values[InteractionReference<TModel>.ValueIndex(gradient, i, f)], Tolerance * scale);
            }
        }

        var probeValues = new double[probes.Count];
        evaluator.FirstVariation(mu, probes, probeValues);
        for (int b = 0; b < probes.Count; b++)
        {
            // At a probe every particle counts (no self-pair to exclude): Σ_j w_j K(probe, θ_j) − Σ_k ν_k K(probe, θ*_k) − F + U.
            double expected = 0;
            for (int j = 0; j < N; j++)
            {
                expected += mu.Weights[j] * InteractionReference<TModel>.K(probes, b, mu, j);
            }

            for (int k = 0; k < (nu?.Count ?? 0); k++)
            {
                expected -= nu!.Weights[k] * InteractionReference<TModel>.K(probes, b, nu, k);
            }

            expected += InteractionReference<TModel>.Side(probes, b, false, null) - InteractionReference<TModel>.Side(probes, b, true, null);
            Assert.Equal(expected, probeValues[b], Tolerance * (1 + Math.Abs(expected)));
        }
    }

    private static void CheckFiniteDifferences<TModel>(Func<int, int, ulong, ParticleSet> create, bool includeSelf, bool withReference)
        where TModel : struct, IInteractionModel<TModel>
    {
        const int n = 12;
        const int d = 3;
        ParticleSet mu = Weighted(create(n, d, 21), 22);
        ParticleSet? nu = withReference ? Weighted(create(3, d, 23), 24) : null;
        using var evaluator = new InteractionEvaluator<TModel>(new InteractionEvaluatorOptions { IncludeSelfPair = includeSelf, Reference = nu, ThreadCount = 1 });
        ParticleSet gradient = ParticleSet.Create(TModel.Layout, n, d);
        evaluator.Gradient(mu, gradient, [], 0);

        // ∂E/∂θ_i = w_i ∇θ V(θ_i) (K symmetric). Central differences with h = 1e-5: truncation h²/6·|∂³E| ≲ 1e-10 for
        // these O(1) smooth energies, rounding ε|E|/h ≈ 1e-11; the check allows 1e-7 · (1 + |∂E/∂θ|).
        const double H = 1e-5;
        for (int k = 0; k < mu.Values.Length; k++)
        {
            ParticleSet plus = mu.Clone();
            ParticleSet minus = mu.Clone();
            plus.Values[k] += H;
            minus.Values[k] -= H;
            double fd = (evaluator.Energy(plus) - evaluator.Energy(minus)) / (2 * H);
            int i = ParticleIndex(mu, k);
            double analytic = mu.Weights[i] * gradient.Values[k];
            Assert.True(Math.Abs(fd - analytic) <= 1e-7 * (1 + Math.Abs(analytic)), $"value {k} (particle {i}): finite difference {fd}, gradient {analytic}");
        }
    }

    private static int ParticleIndex(ParticleSet set, int valueIndex)
    {
        int s = set.Layout.ScalarCount * set.Count;
        return valueIndex < s ? valueIndex % set.Count : (valueIndex - s) % (set.Count * set.Dimension) / set.Dimension;
    }

    private static IEnumerable<(int Flat, int Unused)> Enumerate(ParticleSet set)
    {
        int length = set.Layout.ScalarCount + (set.Layout.VectorParameters.Count * set.Dimension);
        for (int f = 0; f < length; f++)
        {
            yield return (f, 0);
        }
    }

    /// <summary>Non-uniform weights in (0.5, 1.5)/n, from a seed.</summary>
    private static ParticleSet Weighted(ParticleSet set, ulong seed)
    {
        var random = new Random((int)seed);
        for (int i = 0; i < set.Count; i++)
        {
            set.Weights[i] = (0.5 + random.NextDouble()) / set.Count;
        }

        return set;
    }
}

/// <summary>
/// The evaluator's zero-allocation claim, run alone (the allocation collection): per-thread byte counts are exact only
/// while no other test keeps the thread pool busy (a busy pool made the counts flaky, 2026-12-06).
/// </summary>
[Collection(nameof(MeanField.Runtime.Tests.Particles.AllocationCollection))]
public sealed class InteractionEvaluatorAllocationTests
{
    /// <summary>The hand-written stand-in, and the generated arc-cosine kernel, whose prepared sides compute side values.</summary>
    [Fact]
    public void GradientAndEnergyAllocateNothingAfterWarmUp()
    {
        Check<ArcCosine>(ArcCosine.Particles);
        Check<ArcCosineKernel>(InteractionEvaluatorTests.GeneratedArcCosine);
    }

    private static void Check<TModel>(Func<int, int, ulong, ParticleSet> create)
        where TModel : struct, IInteractionModel<TModel>
    {
        ParticleSet particles = create(200, 8, 1);
        ParticleSet gradient = ParticleSet.Create(TModel.Layout, 200, 8);
        ParticleSet probes = create(30, 8, 2);
        var values = new double[200];
        var probeValues = new double[30];
        foreach (InteractionMethod method in new[] { InteractionMethod.Exact, InteractionMethod.RandomBatch })
        {
            using var evaluator = new InteractionEvaluator<TModel>(new InteractionEvaluatorOptions
            {
                ThreadCount = 2,
                Method = method,
                BatchSize = 30,
                Reference = create(3, 8, 3),
            });
            evaluator.Gradient(particles, gradient, values, 0);
            evaluator.Energy(particles);
            evaluator.FirstVariation(particles, probes, probeValues);
            long step = 0;
            Assert.Equal(0, SteadyAllocation.Bytes(
                () =>
                {
                    for (int k = 0; k < 5; k++)
                    {
                        step++;
                        evaluator.Gradient(particles, gradient, values, step);
                        evaluator.Energy(particles);
                        evaluator.FirstVariation(particles, probes, probeValues);
                    }
                },
                () => evaluator.WorkerAllocatedBytes));
        }
    }
}

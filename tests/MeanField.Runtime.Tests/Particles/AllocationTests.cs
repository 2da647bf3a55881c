using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.Particles;

/// <summary>GC.GetTotalAllocatedBytes counts every thread, so these tests run alone.</summary>
[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public sealed class AllocationCollection;

[Collection(nameof(AllocationCollection))]
public sealed class AllocationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void GaussianBumpStepAllocatesNothingAfterWarmUp(int threads)
    {
        ParticleSet particles = TestData.BumpParticles(203, 7, 1);
        SampleSet data = TestData.Samples(517, 7, 2);
        using var flow = new GradientFlow<GaussianBump>(particles, data, new GradientFlowOptions { StepSize = 0.1, ThreadCount = threads });
        Assert.Equal(0, AllocatedBytesPerTenSteps(flow.Step));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TanhRidgeStepAllocatesNothingAfterWarmUp(int threads)
    {
        ParticleSet particles = TestData.TanhParticles(203, 7, 1);
        SampleSet data = TestData.Samples(517, 7, 2);
        using var flow = new GradientFlow<TanhRidge>(particles, data, new GradientFlowOptions { StepSize = 0.1, ThreadCount = threads });
        Assert.Equal(0, AllocatedBytesPerTenSteps(flow.Step));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void CachedScheduleStepAllocatesNothingAfterWarmUp(int threads)
    {
        ParticleSet particles = TestData.TanhParticles(203, 7, 1);
        SampleSet data = TestData.Samples(517, 7, 2);
        using var flow = new GradientFlow<TanhRidge>(particles, data, new GradientFlowOptions { StepSize = 0.1, ThreadCount = threads, PairCacheBudgetBytes = 1L << 30 });
        Assert.Equal(0, AllocatedBytesPerTenSteps(flow.Step));
    }

    private static long AllocatedBytesPerTenSteps(Func<double> step)
    {
        for (int k = 0; k < 3; k++)
        {
            step();
        }

        // The test host may allocate on its own threads while we measure; the minimum over a few windows filters
        // that out, while an allocation in Step would show in every window.
        long best = long.MaxValue;
        for (int attempt = 0; attempt < 5 && best != 0; attempt++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int k = 0; k < 10; k++)
            {
                step();
            }

            best = Math.Min(best, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        return best;
    }
}

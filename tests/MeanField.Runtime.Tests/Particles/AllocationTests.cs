using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.Particles;

/// <summary>Zero bytes per step after warm-up (specs/gradient-flow.md §2). Run alone, so timings stay calm.</summary>
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
        Assert.Equal(0, AllocatedBytesPerTenSteps(flow));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TanhRidgeStepAllocatesNothingAfterWarmUp(int threads)
    {
        ParticleSet particles = TestData.TanhParticles(203, 7, 1);
        SampleSet data = TestData.Samples(517, 7, 2);
        using var flow = new GradientFlow<TanhRidge>(particles, data, new GradientFlowOptions { StepSize = 0.1, ThreadCount = threads });
        Assert.Equal(0, AllocatedBytesPerTenSteps(flow));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void CachedScheduleStepAllocatesNothingAfterWarmUp(int threads)
    {
        ParticleSet particles = TestData.TanhParticles(203, 7, 1);
        SampleSet data = TestData.Samples(517, 7, 2);
        using var flow = new GradientFlow<TanhRidge>(particles, data, new GradientFlowOptions { StepSize = 0.1, ThreadCount = threads, PairCacheBudgetBytes = 1L << 30, Schedule = PairSchedule.Cached });
        Assert.Equal(0, AllocatedBytesPerTenSteps(flow));
    }

    /// <summary>The blocked cache (the default at these sizes: 3 sample tiles per block) allocates nothing per step either.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void BlockedCacheStepAllocatesNothingAfterWarmUp(int threads)
    {
        ParticleSet particles = TestData.TanhParticles(2560, 32, 1);
        SampleSet data = TestData.Samples(512, 32, 2);
        using var flow = new GradientFlow<TanhRidge>(particles, data, new GradientFlowOptions { StepSize = 0.01, ThreadCount = threads, Schedule = PairSchedule.Cached });
        Assert.Equal(0, AllocatedBytesPerTenSteps(flow));
    }

    /// <summary>
    /// Bytes allocated by 10 steps after warm-up, counted on the threads that run them only: the calling thread
    /// (GC.GetAllocatedBytesForCurrentThread) and the evaluator's workers (which record the same counter after
    /// each work item). Other threads of the test host — other tests, the JIT's tiering — cannot disturb it.
    /// </summary>
    private static long AllocatedBytesPerTenSteps<TModel>(GradientFlow<TModel> flow)
        where TModel : struct, INetworkModel<TModel>
    {
        for (int k = 0; k < 3; k++)
        {
            flow.Step();
        }

        return SteadyAllocation.Bytes(
            () =>
            {
                for (int k = 0; k < 10; k++)
                {
                    flow.Step();
                }
            },
            () => flow.WorkerAllocatedBytes);
    }
}

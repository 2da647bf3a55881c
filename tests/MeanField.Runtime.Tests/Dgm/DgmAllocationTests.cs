using MeanField.Dgm;
using MeanField.Models;

namespace MeanField.Runtime.Tests.Dgm;

/// <summary>The trainers' steps allocate nothing (specs/dgm.md §7).</summary>
[Collection(nameof(MeanField.Runtime.Tests.Particles.AllocationCollection))]
public sealed class DgmAllocationTests
{
    /// <summary>
    /// No allocation per step, on one thread and on two (counted on the calling thread and inside v's pool work items;
    /// the first steps warm up the pool and the JIT). In the allocation collection, which runs alone: with other tests
    /// flooding the thread pool, queueing v's work item once allocated a new segment of the pool's queue (1280 bytes, CI).
    /// </summary>
    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 0.0)]
    [InlineData(1, 0.5)]
    [InlineData(2, 0.5)]
    public void StepAllocatesNothing(int threads, double densityFraction)
    {
        var trainer = new ErgodicDgmTrainer<ExplicitErgodicGame2D>(8, 2, 100, seed: 4, threads: threads, densityFraction: densityFraction);
        AssertStepsAllocateNothing(() => trainer.Step(), () => trainer.WorkerAllocatedBytes);
    }

    /// <summary>With a weighted Laplacian in u's network (specs/dgm.md §5.1), no allocation per step either, 1 and 2 threads.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void WeightedLaplacianStepAllocatesNothing(int threads)
    {
        var trainer = new ErgodicDgmTrainer<AnisotropicExplicitGame2D>(8, 2, 100, seed: 4, threads: threads);
        Assert.Equal(1, trainer.U.WeightedLaplacians);
        AssertStepsAllocateNothing(() => trainer.Step(), () => trainer.WorkerAllocatedBytes);
    }

    /// <summary>The finite-horizon trainer's step allocates nothing either, on one thread and on two (as above).</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void FiniteHorizonStepAllocatesNothing(int threads)
    {
        var trainer = new FiniteHorizonDgmTrainer<MeanField.Runtime.Tests.Pde.TerminalCoupling2D>(1, 8, 2, 100, seed: 4, threads: threads);
        AssertStepsAllocateNothing(() => trainer.Step(), () => trainer.WorkerAllocatedBytes);
    }

    /// <summary>3 warm-up steps, then 5 steps allocate 0 bytes on the caller's thread and inside v's pool work items.</summary>
    private static void AssertStepsAllocateNothing(Func<double> step, Func<long> workerBytes)
    {
        for (int s = 0; s < 3; s++)
        {
            step();
        }

        Assert.Equal(0, SteadyAllocation.Bytes(
            () =>
            {
                for (int s = 0; s < 5; s++)
                {
                    step();
                }
            },
            workerBytes));
    }
}

using MeanField.Models;

namespace MeanField.Runtime.Tests.Claims;

/// <summary>
/// Claim 6 (specs/particles.md §2.2, §3.2, §6): a run is a function of its seeds, not of the thread count. 1 and 2
/// evaluator threads give bit-identical trajectories (values, weights, energy history, jump counts) for mean-field Langevin
/// with the Random Batch Method and for both birth–death modes, on generated models and several 64-particle tiles.
/// </summary>
public sealed class DeterminismClaimTests
{
    [Fact]
    public void LangevinWithRandomBatchesIsBitIdenticalOnOneAndTwoThreads()
    {
        // Arc-cosine student (n = 300: five tiles) against the 3-unit teacher; p = 32 gives nine batches of 32 and one of
        // 12 (the remainder), a new partition each step, Langevin noise σ = 0.1.
        Trajectory one = Langevin(threads: 1, seed: 4);
        Trajectory two = Langevin(threads: 2, seed: 4);
        Assert.Equal(one.Values, two.Values);
        Assert.Equal(one.Energies, two.Energies);

        // Not vacuous: the particles moved, and another partition seed gives other bits.
        Assert.NotEqual(one.Start, one.Values);
        Assert.NotEqual(one.Values, Langevin(threads: 2, seed: 5).Values);
    }

    [Theory]
    [InlineData(BirthDeathMode.ConstantPopulation)]
    [InlineData(BirthDeathMode.Weighted)]
    public void BirthDeathIsBitIdenticalOnOneAndTwoThreads(BirthDeathMode mode)
    {
        // Gaussian features (n = 320: five tiles) against the three-bump target, α = 20, 40 steps of Δt = 0.01.
        Trajectory one = BirthDeath(mode, threads: 1);
        Trajectory two = BirthDeath(mode, threads: 2);
        Assert.Equal(one.Values, two.Values);
        Assert.Equal(one.Weights, two.Weights);
        Assert.Equal(one.Energies, two.Energies);
        Assert.Equal(one.Jumps, two.Jumps);

        // Not vacuous: the birth–death part acted (jumps happened, or the weights moved off 1/n).
        Assert.True(mode == BirthDeathMode.ConstantPopulation ? one.Jumps > 0 : !one.Weights.SequenceEqual(one.StartWeights));
    }

    private sealed record Trajectory(long[] Start, long[] Values, long[] StartWeights, long[] Weights, double[] Energies, long Jumps);

    private static Trajectory Langevin(int threads, ulong seed)
    {
        using var energy = ClaimSetups.Evaluator<ArcCosineKernel>(threads, batchSize: 32, seed: seed, reference: ClaimSetups.Teacher());
        ParticleSet particles = ClaimSetups.Student(300, 9, 1.0);
        long[] start = TestData.Bits(particles.Values);
        using var dynamic = new MeanFieldLangevin(particles, energy, new LangevinOptions { StepSize = 0.1, Sigma = 0.1, Seed = 6, MaxSteps = 30 });
        dynamic.Run();
        return new(start, TestData.Bits(particles.Values), [], [], [.. dynamic.EnergyHistory.Select(h => h.Loss)], 0);
    }

    private static Trajectory BirthDeath(BirthDeathMode mode, int threads)
    {
        using var energy = ClaimSetups.Evaluator<GaussianFeatures>(threads, reference: ClaimSetups.BumpTarget());
        ParticleSet particles = ClaimSetups.FeatureGrid(320, -3.2, 3.2, 1);
        long[] start = TestData.Bits(particles.Values);
        long[] startWeights = TestData.Bits(particles.Weights);
        using var dynamic = new BirthDeathDynamics(particles, energy, new BirthDeathOptions { StepSize = 0.01, Rate = 20, Mode = mode, Seed = 8, MaxSteps = 40 });
        dynamic.Run();
        return new(start, TestData.Bits(particles.Values), startWeights, TestData.Bits(particles.Weights), [.. dynamic.EnergyHistory.Select(h => h.Loss)], dynamic.Births + dynamic.Deaths);
    }
}

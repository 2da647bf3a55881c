using MeanField.Runtime.Tests.Particles;
using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.Dynamics;

/// <summary>What the dynamics share through the flow core: determinism, resumption, dissipation, allocation, clear errors.</summary>
public sealed class DynamicsBehaviourTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("meanfield-dynamics-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void ADivergingStepIsUndoneAndReported()
    {
        // ∇V = a(θ − b): with a = 1e300 and Δt = 1e10 the first step overflows to ±∞ (E itself, ≈ 1e300, is finite); the particles must come back bit for bit.
        ParticleSet particles = QuadraticEnergy.Particles(20, 2, 3, 0.5, 1);
        long[] before = TestData.Bits(particles.Values);
        using var langevin = new MeanFieldLangevin(particles, new QuadraticEnergy(1e300, 0, 0), new LangevinOptions { StepSize = 1e10, Sigma = 0.1, MaxSteps = 5 });
        var error = Assert.Throws<DivergenceException>(() => langevin.Step());
        Assert.Equal(1, error.Step);
        Assert.Equal(before, TestData.Bits(particles.Values));
        Assert.Equal(0, langevin.StepsTaken);

        using var birthDeath = new BirthDeathDynamics(particles, new QuadraticEnergy(1e300, 0, 0), new BirthDeathOptions { StepSize = 1e10, Mode = BirthDeathMode.Weighted, MaxSteps = 5 });
        GradientFlowResult result = birthDeath.Run();
        Assert.Equal(GradientFlowStopReason.Diverged, result.Reason);
        Assert.Equal(1, result.DivergedAtStep);
        Assert.Equal(before, TestData.Bits(particles.Values));
        Assert.True(particles.HasUniformWeights);
    }

    [Fact]
    public void ACancelledRunStopsBetweenStepsAndCanContinue()
    {
        using var cancel = new CancellationTokenSource();
        int reports = 0;
        var progress = new Progress(p =>
        {
            if (++reports == 3)
            {
                cancel.Cancel();
            }
        });
        ParticleSet particles = QuadraticEnergy.Particles(20, 2, 3, 0.5, 1);
        using var langevin = new MeanFieldLangevin(particles, new QuadraticEnergy(1, 0, 1), new LangevinOptions { Sigma = 0.2, MaxSteps = 50, Progress = progress });
        GradientFlowResult result = langevin.Run(cancel.Token);
        Assert.Equal(GradientFlowStopReason.Cancelled, result.Reason);
        Assert.Equal(3, result.StepsTaken);
        Assert.Equal(3, langevin.StepsTaken);
        Assert.Equal(GradientFlowStopReason.MaxSteps, langevin.Run().Reason);
        Assert.Equal(53, langevin.StepsTaken);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OneAndTwoThreadsGiveBitIdenticalTrajectories(bool birthDeath)
    {
        // The dynamics themselves run on the calling thread; the network energy's evaluator uses the threads.
        long[] one = NetworkTrajectory(1, birthDeath, out _);
        long[] two = NetworkTrajectory(2, birthDeath, out _);
        Assert.Equal(one, two);
    }

    [Fact]
    public void ResumedLangevinIsBitIdenticalToAnUninterruptedRun()
    {
        var data = TestData.Samples(120, 4, 71);
        using var energy = new NetworkEnergy<TanhRidge>(data, 2);
        var options = new LangevinOptions { StepSize = 0.05, Sigma = 0.3, ReferenceStd = 2, Seed = 9, MaxSteps = 20, RecordEvery = 3 };
        ParticleSet straight = TestData.TanhParticles(30, 4, 72);
        using (var run = new MeanFieldLangevin(straight, energy, options))
        {
            run.Run();
        }

        string path = Path.Combine(folder, "langevin.mfps");
        using (var first = new MeanFieldLangevin(TestData.TanhParticles(30, 4, 72), energy, options with { MaxSteps = 11 }))
        {
            first.Run();
            first.SaveCheckpoint(path);
        }

        using var resumed = MeanFieldLangevin.Resume(path, energy, options with { MaxSteps = 9 });
        Assert.Equal(11, resumed.StepsTaken);
        resumed.Run();
        Assert.Equal(20, resumed.StepsTaken);
        Assert.Equal(TestData.Bits(straight.Values), TestData.Bits(resumed.Particles.Values));

        using var reference = new MeanFieldLangevin(TestData.TanhParticles(30, 4, 72), energy, options);
        reference.Run();
        Assert.Equal(reference.EnergyHistory, resumed.EnergyHistory);

        // Another seed is another trajectory: refused unless asked for.
        var error = Assert.Throws<ArgumentException>(() => MeanFieldLangevin.Resume(path, energy, options with { Seed = 10 }));
        Assert.Equal("options", error.ParamName);
        Assert.Contains("allowMismatch", error.Message, StringComparison.Ordinal);
        MeanFieldLangevin.Resume(path, energy, options with { Seed = 10 }, allowMismatch: true).Dispose();
    }

    [Fact]
    public void ResumedConstantPopulationBirthDeathIsBitIdentical()
    {
        long[] straight = NetworkTrajectory(2, birthDeath: true, out _);
        string path = Path.Combine(folder, "birth-death.mfps");
        var data = TestData.Samples(120, 4, 71);
        using var energy = new NetworkEnergy<TanhRidge>(data, 2);
        using (var first = new BirthDeathDynamics(TestData.TanhParticles(30, 4, 72), energy, BirthDeathOptionsForNetwork with { MaxSteps = 6, CheckpointEvery = 6, CheckpointPath = path }))
        {
            first.Run(); // writes the checkpoint at step 6
        }

        using var resumed = BirthDeathDynamics.Resume(path, energy, BirthDeathOptionsForNetwork with { MaxSteps = 6 });
        Assert.Equal(6, resumed.StepsTaken);
        resumed.Run();
        Assert.Equal(straight, TestData.Bits(resumed.Particles.Values));
    }

    [Fact]
    public void ANetworkEnergyRejectsNonUniformWeights()
    {
        using var energy = new NetworkEnergy<TanhRidge>(TestData.Samples(20, 3, 1), 1);
        ParticleSet particles = TestData.TanhParticles(5, 3, 2);
        particles.Weights[0] = 0.3;
        var error = Assert.Throws<ArgumentException>(() => new BirthDeathDynamics(particles, energy, new BirthDeathOptions { Mode = BirthDeathMode.Weighted }));
        Assert.Equal("particles", error.ParamName);
        Assert.Contains("non-uniform weights", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResumedWeightedBirthDeathIsBitIdentical()
    {
        // Particle file format 3 stores the weights (and the interaction layout of the bump energy's particles),
        // so a weighted run resumes exactly: values and weights bit for bit.
        var energy = new BumpEnergy(0.3, [0.5], [1.0]);
        var options = new BirthDeathOptions { Mode = BirthDeathMode.Weighted, Rate = 5, StepSize = 0.05, MaxSteps = 12 };
        using var straight = new BirthDeathDynamics(BumpEnergy.Grid(8, -1, 1, 1), energy, options);
        straight.Run();

        string path = Path.Combine(folder, "weighted.mfps");
        using (var first = new BirthDeathDynamics(BumpEnergy.Grid(8, -1, 1, 1), energy, options with { MaxSteps = 6, CheckpointEvery = 6, CheckpointPath = path }))
        {
            first.Run();
            Assert.False(first.Particles.HasUniformWeights);
        }

        using var resumed = BirthDeathDynamics.Resume(path, energy, options with { MaxSteps = 6 });
        Assert.Equal(6, resumed.StepsTaken);
        resumed.Run();
        Assert.Equal(TestData.Bits(straight.Particles.Values), TestData.Bits(resumed.Particles.Values));
        Assert.Equal(TestData.Bits(straight.Particles.Weights), TestData.Bits(resumed.Particles.Weights));
    }

    private sealed class Progress(Action<LangevinProgress> report) : IProgress<LangevinProgress>
    {
        public void Report(LangevinProgress value) => report(value);
    }

    private static BirthDeathOptions BirthDeathOptionsForNetwork => new() { StepSize = 0.05, Rate = 5, Seed = 3, MaxSteps = 12 };

    /// <summary>The bits of the particles after 12 steps of Langevin or constant-population birth–death on a TanhRidge network.</summary>
    private static long[] NetworkTrajectory(int threads, bool birthDeath, out double energyAtEnd)
    {
        var data = TestData.Samples(120, 4, 71);
        using var energy = new NetworkEnergy<TanhRidge>(data, threads);
        ParticleSet particles = TestData.TanhParticles(30, 4, 72);
        if (birthDeath)
        {
            using var dynamic = new BirthDeathDynamics(particles, energy, BirthDeathOptionsForNetwork);
            energyAtEnd = dynamic.Run().FinalLoss;
            Assert.True(dynamic.Births + dynamic.Deaths > 0);
        }
        else
        {
            using var dynamic = new MeanFieldLangevin(particles, energy, new LangevinOptions { StepSize = 0.05, Sigma = 0.3, Seed = 4, MaxSteps = 12 });
            energyAtEnd = dynamic.Run().FinalLoss;
        }

        return TestData.Bits(particles.Values);
    }
}

/// <summary>Zero bytes per step after warm-up for every dynamic on an energy that allocates nothing.</summary>
[Collection(nameof(AllocationCollection))]
public sealed class DynamicsAllocationTests
{
    [Fact]
    public void LangevinStepWithEntropyEstimateAllocatesNothingAfterWarmUp()
    {
        ParticleSet particles = QuadraticEnergy.Particles(200, 2, 1, 0, 1);
        using var dynamic = new MeanFieldLangevin(particles, new QuadraticEnergy(1, 0.5, 1), new LangevinOptions { StepSize = 0.01, Sigma = 0.5, EntropyEvery = 2 });
        Assert.Equal(0, AllocatedBytesPerTenSteps(dynamic.Step));
        Assert.True(double.IsFinite(dynamic.ObjectiveHistory[^1].Objective)); // step 12: the estimate ran inside the counted steps
    }

    [Theory]
    [InlineData(BirthDeathMode.ConstantPopulation)]
    [InlineData(BirthDeathMode.Weighted)]
    public void BirthDeathStepAllocatesNothingAfterWarmUp(BirthDeathMode mode)
    {
        ParticleSet particles = BumpEnergy.Grid(64, -4, 4, 1);
        using var dynamic = new BirthDeathDynamics(particles, new BumpEnergy(0.25, [-1.5, 0.5, 2.0], [1.0, 1.0, 1.0]), new BirthDeathOptions { StepSize = 0.01, Rate = 20, Mode = mode });
        Assert.Equal(0, AllocatedBytesPerTenSteps(dynamic.Step));
    }

    private static long AllocatedBytesPerTenSteps(Func<double> step)
    {
        for (int k = 0; k < 3; k++)
        {
            step();
        }

        return SteadyAllocation.Bytes(() =>
        {
            for (int k = 0; k < 10; k++)
            {
                step();
            }
        });
    }
}

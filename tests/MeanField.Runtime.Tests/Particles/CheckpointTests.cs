using MeanField.Models;
using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.Particles;

/// <summary>Particle files and flow checkpoints: exact round trips, bit-identical resumption, clear errors.</summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("meanfield-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void ParticleFileRoundTripsEveryBitAndTheLayout()
    {
        var particles = ParticleSet.Create<GaussianBumpNetwork>(37, 5);
        particles.InitializeGaussian(9);
        particles.Values[3] = double.Epsilon;
        particles.Values[4] = -0.0;
        string path = Path.Combine(folder, "bump.mfps");

        particles.Save(path);
        var loaded = ParticleSet.Load(path);

        Assert.Equal(TestData.Bits(particles.Values), TestData.Bits(loaded.Values));
        Assert.Equal((37, 5), (loaded.Count, loaded.Dimension));
        Assert.Equal(particles.Layout.ScalarParameters, loaded.Layout.ScalarParameters);
        Assert.Equal(particles.Layout.ParticleChannels, loaded.Layout.ParticleChannels);
        Assert.Equal(((NetworkLayout)particles.Layout).HasRegularizer, ((NetworkLayout)loaded.Layout).HasRegularizer);
        Assert.Empty(Directory.GetFiles(folder, "*.mftmp"));
    }

    [Fact]
    public void ResumedRunIsBitIdenticalToAnUninterruptedOne()
    {
        var data = TestData.Samples(300, 6, 61);
        var straight = TestData.BumpParticles(90, 6, 62);
        var interrupted = straight.Clone();
        var options = new GradientFlowOptions { StepSize = 0.3, MaxSteps = 20, ThreadCount = 2, RecordEvery = 3 };
        using (var flow = new GradientFlow<GaussianBump>(straight, data, options))
        {
            flow.Run();
        }

        string path = Path.Combine(folder, "flow.mfps");
        using (var first = new GradientFlow<GaussianBump>(interrupted, data, options with { MaxSteps = 11 }))
        {
            first.Run();
            first.SaveCheckpoint(path);
        }

        using var resumed = GradientFlow<GaussianBump>.Resume(path, data, options with { MaxSteps = 9 });
        Assert.Equal(11, resumed.StepsTaken);
        resumed.Run();

        Assert.Equal(20, resumed.StepsTaken);
        Assert.Equal(TestData.Bits(straight.Values), TestData.Bits(resumed.Particles.Values));
        using var reference = new GradientFlow<GaussianBump>(TestData.BumpParticles(90, 6, 62), data, options);
        reference.Run();
        Assert.Equal(reference.LossHistory, resumed.LossHistory);
    }

    [Fact]
    public void RunWritesCheckpointsAndTheFinalState()
    {
        var data = TestData.Samples(200, 4, 63);
        string path = Path.Combine(folder, "auto.mfps");
        using var flow = new GradientFlow<TanhRidge>(TestData.TanhParticles(50, 4, 64), data,
            new GradientFlowOptions { StepSize = 0.2, MaxSteps = 7, ThreadCount = 1, CheckpointEvery = 3, CheckpointPath = path });

        flow.Run();

        using var resumed = GradientFlow<TanhRidge>.Resume(path, data, new GradientFlowOptions { StepSize = 0.2, ThreadCount = 1 });
        Assert.Equal(7, resumed.StepsTaken);
        Assert.Equal(TestData.Bits(flow.Particles.Values), TestData.Bits(resumed.Particles.Values));
    }

    [Fact]
    public void BadFilesAndMismatchesGiveClearErrors()
    {
        var data = TestData.Samples(50, 4, 65);
        string missing = Path.Combine(folder, "missing.mfps");
        Assert.Throws<FileNotFoundException>(() => ParticleSet.Load(missing));

        string garbage = Path.Combine(folder, "garbage.mfps");
        File.WriteAllText(garbage, "not particles");
        var notOurs = Assert.Throws<InvalidDataException>(() => ParticleSet.Load(garbage));
        Assert.Contains("garbage.mfps", notOurs.Message, StringComparison.Ordinal);
        Assert.Contains("MFPS", notOurs.Message, StringComparison.Ordinal);

        string good = Path.Combine(folder, "good.mfps");
        using (var flow = new GradientFlow<TanhRidge>(TestData.TanhParticles(20, 4, 66), data, new GradientFlowOptions { MaxSteps = 2, ThreadCount = 1 }))
        {
            flow.Run();
            flow.SaveCheckpoint(good);
        }

        string truncated = Path.Combine(folder, "truncated.mfps");
        byte[] bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var cut = Assert.Throws<InvalidDataException>(() => ParticleSet.Load(truncated));
        Assert.Contains("truncated", cut.Message, StringComparison.Ordinal);

        var wrongModel = Assert.Throws<ArgumentException>(() => GradientFlow<GaussianBump>.Resume(good, data, new GradientFlowOptions()));
        Assert.Equal("path", wrongModel.ParamName);
        Assert.Contains("good.mfps", wrongModel.Message, StringComparison.Ordinal);

        string plain = Path.Combine(folder, "plain.mfps");
        TestData.TanhParticles(20, 4, 67).Save(plain);
        var noState = Assert.Throws<InvalidDataException>(() => GradientFlow<TanhRidge>.Resume(plain, data, new GradientFlowOptions()));
        Assert.Contains("no flow state", noState.Message, StringComparison.Ordinal);

        var noPath = Assert.Throws<ArgumentException>(() => new GradientFlow<TanhRidge>(TestData.TanhParticles(20, 4, 68), data, new GradientFlowOptions { CheckpointEvery = 5 }));
        Assert.Contains("CheckpointPath", noPath.Message, StringComparison.Ordinal);
    }
}

/// <summary>A long run can be stopped between steps and continued later.</summary>
public sealed class CancellationTests
{
    [Fact]
    public void CancelledRunStopsBetweenStepsWithTheStateOfAPlainRun()
    {
        var data = TestData.Samples(200, 4, 71);
        var cancelled = TestData.TanhParticles(60, 4, 72);
        var plain = cancelled.Clone();
        using var source = new CancellationTokenSource();
        var stopAtFive = new Stopper(source, step: 5);
        using var flow = new GradientFlow<TanhRidge>(cancelled, data, new GradientFlowOptions { StepSize = 0.2, MaxSteps = 1000, ThreadCount = 2, Progress = stopAtFive });

        var result = flow.Run(source.Token);

        Assert.Equal(GradientFlowStopReason.Cancelled, result.Reason);
        Assert.Equal(6, result.StepsTaken);
        using var reference = new GradientFlow<TanhRidge>(plain, data, new GradientFlowOptions { StepSize = 0.2, MaxSteps = 6, ThreadCount = 2 });
        var expected = reference.Run();
        Assert.Equal(TestData.Bits(plain.Values), TestData.Bits(cancelled.Values));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.FinalLoss), BitConverter.DoubleToInt64Bits(result.FinalLoss));
    }

    /// <summary>Cancels when told about a given step (the step's update still completes).</summary>
    private sealed class Stopper(CancellationTokenSource source, int step) : IProgress<GradientFlowProgress>
    {
        public void Report(GradientFlowProgress value)
        {
            if (value.Step == step)
            {
                source.Cancel();
            }
        }
    }
}

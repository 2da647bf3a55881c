using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.Particles;

/// <summary>A checkpoint records the data and step size it was trained with; resuming with others is an error unless asked for.</summary>
public sealed class CheckpointFingerprintTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("meanfield-fingerprint-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Checkpoint(SampleSet data, double stepSize)
    {
        string path = Path.Combine(folder, "run.mfps");
        using var flow = new GradientFlow<TanhRidge>(TestData.TanhParticles(20, 4, 91), data, new GradientFlowOptions { StepSize = stepSize, MaxSteps = 4, ThreadCount = 1 });
        flow.Run();
        flow.SaveCheckpoint(path);
        return path;
    }

    [Fact]
    public void OtherDataOfTheSameShapeIsRejectedNamingData()
    {
        var data = TestData.Samples(60, 4, 92);
        string path = Checkpoint(data, 0.2);
        var other = TestData.Samples(60, 4, 93);

        var e = Assert.Throws<ArgumentException>(() => GradientFlow<TanhRidge>.Resume(path, other, new GradientFlowOptions { StepSize = 0.2, ThreadCount = 1 }));

        Assert.Equal("data", e.ParamName);
        Assert.Contains("60 samples of dimension 4", e.Message, StringComparison.Ordinal);
        Assert.Contains("values differ", e.Message, StringComparison.Ordinal);
        Assert.Contains("allowMismatch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneChangedTargetIsEnoughAndAnEqualCopyIsAccepted()
    {
        var data = TestData.Samples(60, 4, 94);
        string path = Checkpoint(data, 0.2);
        double[] targets = data.Targets.ToArray();
        targets[59] = Math.BitIncrement(targets[59]);
        var changed = new SampleSet(data.Inputs, targets, 4);
        var copy = new SampleSet(data.Inputs, data.Targets, 4);
        var options = new GradientFlowOptions { StepSize = 0.2, ThreadCount = 1 };

        Assert.Equal("data", Assert.Throws<ArgumentException>(() => GradientFlow<TanhRidge>.Resume(path, changed, options)).ParamName);
        using var resumed = GradientFlow<TanhRidge>.Resume(path, copy, options);
        Assert.Equal(4, resumed.StepsTaken);
    }

    [Fact]
    public void OtherShapeIsRejectedSayingSo()
    {
        string path = Checkpoint(TestData.Samples(60, 4, 95), 0.2);
        var e = Assert.Throws<ArgumentException>(() => GradientFlow<TanhRidge>.Resume(path, TestData.Samples(30, 4, 95), new GradientFlowOptions { StepSize = 0.2 }));
        Assert.Equal("data", e.ParamName);
        Assert.Contains("trained on 60 samples of dimension 4; data has 30 samples of dimension 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherStepSizeIsRejectedNamingOptions()
    {
        var data = TestData.Samples(60, 4, 96);
        string path = Checkpoint(data, 0.2);
        var e = Assert.Throws<ArgumentException>(() => GradientFlow<TanhRidge>.Resume(path, data, new GradientFlowOptions { StepSize = 0.3 }));
        Assert.Equal("options", e.ParamName);
        Assert.Contains("options.StepSize is 0.3", e.Message, StringComparison.Ordinal);
        Assert.Contains("StepSize 0.2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AllowMismatchResumesOnOtherDataAndStepSize()
    {
        var data = TestData.Samples(60, 4, 97);
        string path = Checkpoint(data, 0.2);
        var other = TestData.Samples(80, 4, 98);
        using var resumed = GradientFlow<TanhRidge>.Resume(path, other, new GradientFlowOptions { StepSize = 0.05, MaxSteps = 2, ThreadCount = 1 }, allowMismatch: true);

        Assert.Equal(4, resumed.StepsTaken);
        Assert.Same(other, resumed.Data);
        resumed.Run();
        Assert.Equal(6, resumed.StepsTaken);
    }
}

using System.Diagnostics;
using MeanField.Runtime.Tests.TestModels;
using Xunit.Abstractions;

namespace MeanField.Runtime.Tests.Particles;

public sealed class GradientFlowTests(ITestOutputHelper output)
{
    /// <summary>
    /// Teacher–student (Chizat–Bach 2018 setting): labels from a random 5-unit tanh network in d = 5, L = 512
    /// samples; a 100-particle student trained by the mean-field gradient flow lowers the loss by ≥ 100×.
    /// </summary>
    [Fact]
    public void StudentLearnsTeacherByGradientFlow()
    {
        const int d = 5;
        const int samplesCount = 512;
        ParticleSet teacher = ParticleSet.Create<TanhRidge>(5, d);
        teacher.InitializeGaussian(2024, scalarStd: 1.0, vectorStd: 1.0);
        var random = new Random(7);
        var x = new double[samplesCount * d];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = TestData.Gaussian(random);
        }

        var y = new double[samplesCount];
        Reference<TanhRidge>.Predict(teacher, new SampleSet(x, y, d)).CopyTo(y, 0);
        var data = new SampleSet(x, y, d);

        ParticleSet student = ParticleSet.Create<TanhRidge>(100, d);
        student.InitializeGaussian(99, scalarStd: 1.0, vectorStd: 1.0);
        var options = new GradientFlowOptions { StepSize = 2.0, MaxSteps = 400, RecordEvery = 10, ThreadCount = 2 };
        using var flow = new GradientFlow<TanhRidge>(student, data, options);
        var watch = Stopwatch.StartNew();
        GradientFlowResult result = flow.Run();
        watch.Stop();
        double initial = flow.LossHistory[0].Loss;
        output.WriteLine($"initial loss {initial:G6}, final {result.FinalLoss:G6} (ratio {initial / result.FinalLoss:G4}) after {result.StepsTaken} steps in {watch.Elapsed.TotalSeconds:F2} s ({result.Reason})");
        foreach (GradientFlowProgress record in flow.LossHistory.Where((_, index) => index % 5 == 0))
        {
            output.WriteLine($"  step {record.Step,5}: {record.Loss:G6}");
        }

        Assert.Equal(GradientFlowStopReason.MaxSteps, result.Reason);
        Assert.True(result.FinalLoss * 100 <= initial, $"loss only went from {initial:G6} to {result.FinalLoss:G6}");
    }

    [Fact]
    public void StepMovesEveryParticleAgainstTheVelocity()
    {
        ParticleSet particles = TestData.BumpParticles(30, 4, 1);
        SampleSet data = TestData.Samples(50, 4, 2);
        ParticleSet before = particles.Clone();
        using var flow = new GradientFlow<GaussianBump>(particles, data, new GradientFlowOptions { StepSize = 0.25, ThreadCount = 1 });
        double loss = flow.Step();
        Assert.Equal(1, flow.StepsTaken);
        Assert.Equal(flow.LossHistory[0], new GradientFlowProgress(0, loss));
        for (int j = 0; j < particles.Values.Length; j++)
        {
            Assert.Equal(before.Values[j] - (0.25 * flow.Velocity.Values[j]), particles.Values[j], 1e-15);
        }
    }

    [Fact]
    public void RunStopsWhenTheRelativeDecreaseIsBelowTolerance()
    {
        ParticleSet particles = TestData.TanhParticles(40, 3, 3);
        SampleSet data = TestData.Samples(80, 3, 4);
        var options = new GradientFlowOptions { StepSize = 0.5, MaxSteps = 100_000, Tolerance = 1e-3, ThreadCount = 1 };
        using var flow = new GradientFlow<TanhRidge>(particles, data, options);
        GradientFlowResult result = flow.Run();
        Assert.Equal(GradientFlowStopReason.Converged, result.Reason);
        Assert.True(result.StepsTaken < 100_000);
        IReadOnlyList<GradientFlowProgress> history = flow.LossHistory;
        double last = history[^1].Loss;
        double beforeLast = history[^2].Loss;
        Assert.True(Math.Abs(beforeLast - last) <= 1e-3 * Math.Abs(beforeLast));
        Assert.Equal(result.FinalLoss, last);
    }

    [Fact]
    public void RunStopsAtTheAbsoluteTolerance()
    {
        ParticleSet particles = TestData.TanhParticles(40, 3, 3);
        SampleSet data = TestData.Samples(80, 3, 4);
        using var flow = new GradientFlow<TanhRidge>(particles, data, new GradientFlowOptions { StepSize = 0.5, AbsoluteTolerance = 1e6, ThreadCount = 1 });
        GradientFlowResult result = flow.Run();
        Assert.Equal(GradientFlowStopReason.Converged, result.Reason);
        Assert.Equal(0, result.StepsTaken);
    }

    [Fact]
    public void ProgressIsReportedAtRecordedSteps()
    {
        var seen = new List<GradientFlowProgress>();
        var progress = new MeanField.Samples.SynchronousProgress<GradientFlowProgress>(seen.Add);
        ParticleSet particles = TestData.TanhParticles(10, 2, 3);
        SampleSet data = TestData.Samples(20, 2, 4);
        using var flow = new GradientFlow<TanhRidge>(particles, data, new GradientFlowOptions { StepSize = 0.1, MaxSteps = 10, RecordEvery = 3, Progress = progress, ThreadCount = 1 });
        flow.Run();
        Assert.Equal([0, 3, 6, 9], seen.Select(p => p.Step));
        Assert.Equal(seen, flow.LossHistory);
    }

    [Fact]
    public void HugeStepDivergesAndKeepsTheLastFiniteState()
    {
        SampleSet data = TestData.Samples(100, 3, 4);
        ParticleSet particles = TestData.TanhParticles(20, 3, 3);
        using var flow = new GradientFlow<TanhRidge>(particles, data, new GradientFlowOptions { StepSize = 1e300, MaxSteps = 50, ThreadCount = 2 });
        GradientFlowResult result = flow.Run();
        Assert.Equal(GradientFlowStopReason.Diverged, result.Reason);
        Assert.NotNull(result.DivergedAtStep);
        Assert.True(particles.AllFinite());
        Assert.True(double.IsFinite(result.FinalLoss));
        Assert.Equal(result.DivergedAtStep - 1, flow.StepsTaken);

        ParticleSet again = TestData.TanhParticles(20, 3, 3);
        using var stepping = new GradientFlow<TanhRidge>(again, data, new GradientFlowOptions { StepSize = 1e300, ThreadCount = 1 });
        DivergenceException error = Assert.Throws<DivergenceException>(() =>
        {
            for (int k = 0; k < 50; k++)
            {
                stepping.Step();
            }
        });
        Assert.Equal(result.DivergedAtStep, error.Step);
        Assert.Contains($"step {error.Step}", error.Message, StringComparison.Ordinal);
        Assert.True(again.AllFinite());
        Assert.Equal(error.Step - 1, stepping.StepsTaken);
    }
}

using MeanField.Reductions;
using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests;

/// <summary>Bad input fails fast, naming the argument and the value.</summary>
public sealed class BadInputTests
{
    [Fact]
    public void MismatchedDimensionIsRejected()
    {
        ParticleSet particles = TestData.TanhParticles(10, 3, 1);
        SampleSet samples = TestData.Samples(20, 4, 2);
        using var evaluator = new NetworkEvaluator<TanhRidge>(1);
        ArgumentException error = Assert.Throws<ArgumentException>(() => evaluator.Loss(particles, samples));
        Assert.Equal("samples", error.ParamName);
        Assert.Contains("dimension 4", error.Message, StringComparison.Ordinal);
        Assert.Contains("dimension 3", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<ArgumentException>(() => new GradientFlow<TanhRidge>(particles, samples, new GradientFlowOptions()));
        Assert.Equal("data", error.ParamName);
    }

    [Fact]
    public void ParticlesOfAnotherModelAreRejected()
    {
        ParticleSet bump = TestData.BumpParticles(10, 3, 1);
        SampleSet samples = TestData.Samples(20, 3, 2);
        using var evaluator = new NetworkEvaluator<TanhRidge>(1);
        ArgumentException error = Assert.Throws<ArgumentException>(() => evaluator.Loss(bump, samples));
        Assert.Equal("particles", error.ParamName);
        Assert.Contains("GaussianBump", error.Message, StringComparison.Ordinal);
        Assert.Contains("TanhRidge", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VelocityOfWrongShapeOrAliasedIsRejected()
    {
        ParticleSet particles = TestData.TanhParticles(10, 3, 1);
        SampleSet samples = TestData.Samples(20, 3, 2);
        using var evaluator = new NetworkEvaluator<TanhRidge>(1);
        Assert.Equal("velocity", Assert.Throws<ArgumentException>(() => evaluator.WassersteinGradient(particles, samples, TestData.TanhParticles(11, 3, 1))).ParamName);
        Assert.Equal("velocity", Assert.Throws<ArgumentException>(() => evaluator.WassersteinGradient(particles, samples, particles)).ParamName);
        Assert.Equal("predictions", Assert.Throws<ArgumentException>(() => evaluator.Predict(particles, samples, new double[19])).ParamName);
        Assert.Equal("probes", Assert.Throws<ArgumentException>(() => evaluator.FirstVariation(particles, samples, TestData.TanhParticles(5, 2, 1), new double[5])).ParamName);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonFiniteDataIsRejectedWithIndexAndValue(double bad)
    {
        var x = new double[12];
        x[7] = bad;
        ArgumentException error = Assert.Throws<ArgumentException>(() => new SampleSet(x, new double[4], 3));
        Assert.Equal("inputs", error.ParamName);
        Assert.Contains("inputs[7]", error.Message, StringComparison.Ordinal);
        Assert.Contains("sample 2", error.Message, StringComparison.Ordinal);
        Assert.Contains(bad.ToString(System.Globalization.CultureInfo.CurrentCulture), error.Message, StringComparison.Ordinal);

        var y = new double[4];
        y[3] = bad;
        error = Assert.Throws<ArgumentException>(() => new SampleSet(new double[12], y, 3));
        Assert.Equal("targets", error.ParamName);
        Assert.Contains("targets[3]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyOrMisshapenDataIsRejected()
    {
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => new SampleSet([], [], 3)).ParamName);
        ArgumentException error = Assert.Throws<ArgumentException>(() => new SampleSet(new double[10], new double[4], 3));
        Assert.Equal("inputs", error.ParamName);
        Assert.Contains("10", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Assert.Throws<ArgumentOutOfRangeException>(() => new SampleSet(new double[4], new double[4], 0)).ActualValue);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonPositiveStepSizeIsRejected(double stepSize)
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new GradientFlowOptions { StepSize = stepSize });
        Assert.Equal("StepSize", error.ParamName);
        Assert.Equal(stepSize, error.ActualValue);
    }

    [Fact]
    public void OtherOptionsAreValidated()
    {
        Assert.Equal("MaxSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new GradientFlowOptions { MaxSteps = -1 }).ParamName);
        Assert.Equal("ThreadCount", Assert.Throws<ArgumentOutOfRangeException>(() => new GradientFlowOptions { ThreadCount = 0 }).ParamName);
        Assert.Equal("RecordEvery", Assert.Throws<ArgumentOutOfRangeException>(() => new GradientFlowOptions { RecordEvery = 0 }).ParamName);
        Assert.Equal("Tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => new GradientFlowOptions { Tolerance = -1 }).ParamName);
        Assert.Equal("threadCount", Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkEvaluator<TanhRidge>(0)).ParamName);
    }

    [Fact]
    public void NonFiniteParticlesAreRejectedByTheFlow()
    {
        ParticleSet particles = TestData.TanhParticles(10, 3, 1);
        particles.Scalar("c")[4] = double.NaN;
        Assert.False(particles.AllFinite());
        ArgumentException error = Assert.Throws<ArgumentException>(() => new GradientFlow<TanhRidge>(particles, TestData.Samples(20, 3, 2), new GradientFlowOptions()));
        Assert.Equal("particles", error.ParamName);
    }
}

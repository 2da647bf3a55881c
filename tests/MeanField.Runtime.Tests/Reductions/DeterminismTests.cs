using MeanField.Reductions;
using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.Reductions;

/// <summary>
/// Results do not depend on the thread count, to the bit (fixed reduction order per tile; the forward's fixed sections
/// of the particles, NetworkEvaluator.ForwardSections, also with more threads than sections).
/// </summary>
public sealed class DeterminismTests
{
    private const int N = 203;
    private const int L = 517;
    private const int D = 7;

    [Fact]
    public void TanhRidgeEvaluationsAreBitIdenticalForOneAndTwoThreads() =>
        CheckEvaluations<TanhRidge>(TestData.TanhParticles(N, D, 41), TestData.Samples(L, D, 42));

    [Fact]
    public void GaussianBumpEvaluationsAreBitIdenticalForOneAndTwoThreads() =>
        CheckEvaluations<GaussianBump>(TestData.BumpParticles(N, D, 43), TestData.Samples(L, D, 44));

    [Fact]
    public void GradientFlowTrajectoryIsBitIdenticalForOneAndTwoThreads()
    {
        SampleSet samples = TestData.Samples(L, D, 45);
        ParticleSet one = TestData.BumpParticles(N, D, 46);
        ParticleSet two = one.Clone();
        using var flowOne = new GradientFlow<GaussianBump>(one, samples, new GradientFlowOptions { StepSize = 0.5, MaxSteps = 20, ThreadCount = 1 });
        using var flowTwo = new GradientFlow<GaussianBump>(two, samples, new GradientFlowOptions { StepSize = 0.5, MaxSteps = 20, ThreadCount = 2 });
        GradientFlowResult a = flowOne.Run();
        GradientFlowResult b = flowTwo.Run();
        Assert.Equal(20, a.StepsTaken);
        Assert.Equal(BitConverter.DoubleToInt64Bits(a.FinalLoss), BitConverter.DoubleToInt64Bits(b.FinalLoss));
        Assert.Equal(TestData.Bits(one.Values), TestData.Bits(two.Values));
        Assert.Equal(flowOne.LossHistory, flowTwo.LossHistory);
        Assert.True(a.FinalLoss < flowOne.LossHistory[0].Loss, "The flow should lower the loss.");
    }

    private static void CheckEvaluations<TModel>(ParticleSet particles, SampleSet samples)
        where TModel : struct, INetworkModel<TModel>
    {
        using var single = new NetworkEvaluator<TModel>(1);
        using var dual = new NetworkEvaluator<TModel>(2);
        using var triple = new NetworkEvaluator<TModel>(3);
        var f1 = new double[L];
        var f2 = new double[L];
        var f3 = new double[L];
        single.Predict(particles, samples, f1);
        dual.Predict(particles, samples, f2);
        triple.Predict(particles, samples, f3);
        Assert.Equal(TestData.Bits(f1), TestData.Bits(f2));
        Assert.Equal(TestData.Bits(f1), TestData.Bits(f3));

        Assert.Equal(BitConverter.DoubleToInt64Bits(single.Loss(particles, samples)), BitConverter.DoubleToInt64Bits(dual.Loss(particles, samples)));

        ParticleSet v1 = particles.Clone();
        ParticleSet v2 = particles.Clone();
        ParticleSet v3 = particles.Clone();
        double loss1 = single.WassersteinGradient(particles, samples, v1);
        double loss2 = dual.WassersteinGradient(particles, samples, v2);
        double loss3 = triple.WassersteinGradient(particles, samples, v3);
        Assert.Equal(BitConverter.DoubleToInt64Bits(loss1), BitConverter.DoubleToInt64Bits(loss2));
        Assert.Equal(BitConverter.DoubleToInt64Bits(loss1), BitConverter.DoubleToInt64Bits(loss3));
        Assert.Equal(TestData.Bits(v1.Values), TestData.Bits(v2.Values));
        Assert.Equal(TestData.Bits(v1.Values), TestData.Bits(v3.Values));

        var p1 = new double[N];
        var p2 = new double[N];
        single.FirstVariation(particles, samples, particles, p1);
        dual.FirstVariation(particles, samples, particles, p2);
        Assert.Equal(TestData.Bits(p1), TestData.Bits(p2));
    }
}

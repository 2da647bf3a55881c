using MeanField.Benchmarks.Peers;
using MeanField.Benchmarks.Workloads;
using MeanField.Models;
using MeanField.Runtime.Tests;

namespace MeanField.Benchmarks.Tests;

/// <summary>
/// The W1 peers compute the generated path's step: after each of 3 steps from the W1 particles, every peer's particles
/// (c, b, w) and loss agree with <see cref="GradientFlow{TModel}"/>'s (1 thread) to 1e-12 relative (max-norm of the
/// difference over the max-norm of the array): floating-point reassociation only, as the peers sum in another order
/// (and SIMD tanh may differ from Math.Tanh in the last bit). Also: a step allocates nothing. Times nothing.
/// </summary>
public sealed class W1PeersTests
{
    private const double Tolerance = 1e-12;

    public static TheoryData<string> Peers => ["scalar", "dual", "tensors"];

    private static W1Peer Create(string peer, ParticleSet particles, SampleSet data) => peer switch
    {
        "scalar" => new ScalarW1Step(particles, data, W1PeerSet.StepSize),
        "dual" => new DualW1Step(particles, data, W1PeerSet.StepSize),
        _ => new TensorPrimitivesW1Step(particles, data, W1PeerSet.StepSize),
    };

    [Theory]
    [MemberData(nameof(Peers))]
    public void APeerStepAgreesWithGradientFlow(string peer)
    {
        // L = 70 (not a multiple of the 64-sample tile), d = 5, n = 37 (not a multiple of the SIMD width or the tile).
        const int samples = 70, dimension = 5, particles = 37;
        var data = W1Workload.Samples(samples, dimension);
        var generated = W1Workload.Particles<TanhNetwork>(particles, dimension);
        var implementation = Create(peer, generated, data);
        var mine = generated.Clone();
        using var flow = new GradientFlow<TanhNetwork>(generated, data, new GradientFlowOptions { StepSize = W1PeerSet.StepSize, ThreadCount = 1, MaxSteps = int.MaxValue });
        for (int step = 0; step < 3; step++)
        {
            double expectedLoss = flow.Step();
            double loss = implementation.Step();
            implementation.CopyTo(mine);
            Assert.True(Math.Abs(loss - expectedLoss) <= Tolerance * Math.Abs(expectedLoss), $"step {step}: loss {loss:R}, expected {expectedLoss:R}");
            foreach (string name in new[] { "c", "b" })
            {
                AssertClose(generated.Scalar(name), mine.Scalar(name), $"step {step}, {name}");
            }

            AssertClose(generated.Vector("w"), mine.Vector("w"), $"step {step}, w");
        }

        // The particles moved (the comparison is not of two untouched copies).
        Assert.NotEqual(W1Workload.Particles<TanhNetwork>(particles, dimension).Scalar("c")[0], mine.Scalar("c")[0]);
    }

    [Theory]
    [MemberData(nameof(Peers))]
    public void APeerStepAllocatesNothing(string peer)
    {
        var implementation = Create(peer, W1Workload.Particles<TanhNetwork>(16, 4), W1Workload.Samples(20, 4));
        implementation.Step();
        Assert.Equal(0, SteadyAllocation.Bytes(() => implementation.Step()));
    }

    [Fact]
    public void TheDualPeerTakesAnyActivationAndLoss()
    {
        // ReLU with (ŷ − y)² through the same generic code: finite, and different from tanh's step.
        var data = W1Workload.Samples(20, 3);
        var relu = new DualW1Step(W1Workload.Particles<TanhNetwork>(8, 3), data, 0.1, Dual.Relu, static (y, p) => (p - y) * (p - y));
        var tanh = new DualW1Step(W1Workload.Particles<TanhNetwork>(8, 3), data, 0.1);
        Assert.NotEqual(tanh.Step(), relu.Step());
        Assert.Equal(1 - (0.5 * 0.5), Dual.Tanh(Dual.Variable(Math.Atanh(0.5))).Derivative, 15);
        Assert.Equal(new Dual(6, 5), Dual.Variable(2) * new Dual(3, 1));
    }

    [Fact]
    public void TheFlopCountIsFourLnd()
    {
        Assert.Equal(4.0 * 4096 * 64 * 4096, W1Flops.PerStep(4096, 64, 4096));
        Assert.Equal((4096, 64, 1024), W1Flops.Parse("4096,64,1024"));
        Assert.Equal(4.0 * 256 * 32 * 256, new W1PeersBenchmarks { Shape = "256,32,256" }.FlopsPerOperation);
        Assert.Equal(2, new W1PeersBenchmarks().ThreadsUsed(nameof(W1PeersBenchmarks.Generated2Threads)));
        Assert.Equal(1, new W1PeersBenchmarks().ThreadsUsed(nameof(W1PeersBenchmarks.Scalar)));
    }

    private static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string what)
    {
        double scale = 0, difference = 0;
        for (int k = 0; k < expected.Length; k++)
        {
            scale = Math.Max(scale, Math.Abs(expected[k]));
            difference = Math.Max(difference, Math.Abs(actual[k] - expected[k]));
        }

        Assert.True(difference <= Tolerance * scale, $"{what}: max |difference| {difference:E3} > {Tolerance:E0} × {scale:E3}");
    }
}

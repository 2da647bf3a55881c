using MeanField.Benchmarks;
using MeanField.Benchmarks.Throughput;

namespace MeanField.Benchmarks.Tests;

/// <summary>
/// InteractionBenchmarks measures what it says: a step evaluates exactly the pairs its GFLOP/s column is credited with
/// (n² exact, Σ_b m_b² for the Random Batch Method; the evaluator's own operation count), and moves the particles.
/// It times nothing.
/// </summary>
public sealed class InteractionBenchmarksTests
{
    [Theory]
    [InlineData("exact", 200, 64)]
    [InlineData("rbm", 200, 64)] // 64, 64, 64, 8 (a remainder of 8 is its own batch)
    [InlineData("rbm", 193, 64)] // 64, 64, 65 (remainder 1 joins the last batch)
    public void AStepEvaluatesThePairsTheGflopsColumnCounts(string method, int n, int batchSize)
    {
        var benchmarks = new InteractionBenchmarks { N = n, D = 4, Evaluation = method, BatchSize = batchSize, Threads = 1 };
        benchmarks.Setup();
        try
        {
            long before = benchmarks.Evaluator.KernelEvaluations;
            double energy = benchmarks.Step();
            long pairs = benchmarks.Evaluator.KernelEvaluations - before;

            // The Random Batch step also re-evaluates each particle's self-pair once (its reweighting): n more.
            double expected = InteractionBenchmarks.PairsPerStep(n, method, batchSize) + (method == "rbm" ? n : 0);
            Assert.Equal(expected, pairs);
            Assert.True(double.IsFinite(energy));
            Assert.Equal(4.0 * 4 * InteractionBenchmarks.PairsPerStep(n, method, batchSize), InteractionBenchmarks.FlopsPerStep(n, 4, method, batchSize));
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    [Fact]
    public void TheDefaultsAreTheIssuesShape()
    {
        var benchmarks = new InteractionBenchmarks();
        Assert.Equal((8192, 32, 64, 2), (benchmarks.N, benchmarks.D, benchmarks.BatchSize, benchmarks.Threads));

        // 8192 = 128 batches of 64: n·p pairs, against n² exact.
        Assert.Equal(8192.0 * 64, InteractionBenchmarks.PairsPerStep(8192, "rbm", 64));
        Assert.Equal(8192.0 * 8192, InteractionBenchmarks.PairsPerStep(8192, "exact", 64));
        Assert.Equal(2.0, GflopsColumn.Gflops(4e9, 2e9));
    }
}

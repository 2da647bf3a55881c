using BenchmarkDotNet.Running;
using MeanField.Benchmarks.Throughput;

namespace MeanField.Benchmarks.Tests;

/// <summary>The throughput columns read each case's flop count and threads; the peak kernel's count; the scaling fit. Times nothing.</summary>
public sealed class ThroughputTests
{
    [Fact]
    public void TheColumnsCountEachCaseWithItsParameters()
    {
        var cases = BenchmarkConverter.TypeToBenchmarks(typeof(W1PeersBenchmarks)).BenchmarksCases;
        Assert.Equal(10, cases.Length); // 2 shapes × 5 implementations
        foreach (var benchmarkCase in cases)
        {
            var (samples, dimension, particles) = Peers.W1Flops.Parse((string)benchmarkCase.Parameters["Shape"]);
            var count = ThroughputColumn.Count(benchmarkCase);
            Assert.NotNull(count);
            Assert.Equal(4.0 * samples * dimension * particles, count.Value.Flops);
            Assert.Equal(benchmarkCase.Descriptor.WorkloadMethod.Name == "Generated2Threads" ? 2 : 1, count.Value.Threads);
        }

        var interaction = BenchmarkConverter.TypeToBenchmarks(typeof(InteractionBenchmarks)).BenchmarksCases;
        Assert.All(interaction, c => Assert.Equal(
            InteractionBenchmarks.FlopsPerStep(8192, 32, (string)c.Parameters["Evaluation"], 64), ThroughputColumn.Count(c)!.Value.Flops));

        // A benchmark without a flop count gets none ("-" in the columns).
        Assert.Null(ThroughputColumn.Count(BenchmarkConverter.TypeToBenchmarks(typeof(OperatorBenchmarks)).BenchmarksCases[0]));
    }

    [Fact]
    public void ThePeakBenchmarkCountsTwoFlopsPerLanePerFma()
    {
        var peak = new PeakFlopsBenchmarks { Threads = 2, IterationsPerThread = 1000 };
        Assert.Equal(2 * 1000.0 * PeakFlops.Accumulators * PeakFlops.Lanes * 2, peak.FlopsPerOperation);
        Assert.Equal(2, peak.ThreadsUsed(nameof(PeakFlopsBenchmarks.Fma)));
        Assert.True(double.IsFinite(peak.Fma()));

        // The same value on 1 and 2 threads per thread: every chain ran all its iterations.
        Assert.Equal(2 * PeakFlops.Run(1, 1000), PeakFlops.Run(2, 1000));
    }

    [Fact]
    public void TheScalingFitRecoversAPowerLaw()
    {
        double[] sizes = [1024, 2048, 4096, 8192];
        Assert.Equal(1.0, W1Scaling.Exponent(sizes, sizes.Select(s => 3e-9 * s).ToArray()), 12);
        Assert.Equal(2.0, W1Scaling.Exponent(sizes, sizes.Select(s => 5e-12 * s * s).ToArray()), 12);
        Assert.Throws<ArgumentException>(() => W1Scaling.Exponent([1.0], [1.0]));
    }

    [Fact]
    public void TheScalingCommandPrintsATableAndTheExponents()
    {
        var options = W1Scaling.Defaults();
        (options["L"], options["d"], options["n"], options["points"], options["threads"], options["steps"], options["warmup"]) = ("16", "2", "16", "2", "1", "1", "0");
        var output = new StringWriter();
        W1Scaling.WarmUpSeconds = 0;
        Assert.Equal(0, W1Scaling.Run(options, output));
        string text = output.ToString();
        Assert.Contains("| n |     16 |    2 |     32 |", text, StringComparison.Ordinal);
        Assert.Contains("| d |     16 |    4 |     16 |", text, StringComparison.Ordinal);
        Assert.Contains("fitted exponent", text, StringComparison.Ordinal);
    }
}

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
    [InlineData("exact", 200, 64, "hand")]
    [InlineData("rbm", 200, 64, "hand")] // 64, 64, 64, 8 (a remainder of 8 is its own batch)
    [InlineData("rbm", 193, 64, "hand")] // 64, 64, 65 (remainder 1 joins the last batch)
    [InlineData("exact", 200, 64, "generated")]
    [InlineData("rbm", 193, 64, "generated")]
    public void AStepEvaluatesThePairsTheGflopsColumnCounts(string method, int n, int batchSize, string kernel)
    {
        var benchmarks = new InteractionBenchmarks { N = n, D = 4, Evaluation = method, BatchSize = batchSize, Threads = 1, Kernel = kernel };
        benchmarks.Setup();
        try
        {
            long before = benchmarks.KernelEvaluations;
            double energy = benchmarks.Step();
            long pairs = benchmarks.KernelEvaluations - before;

            // The Random Batch step also re-evaluates each particle's self-pair once (its reweighting): n more.
            double expected = InteractionBenchmarks.EvaluationsPerStep(n, method, batchSize) + (method == "rbm" ? n : 0);
            Assert.Equal(expected, pairs);
            Assert.True(double.IsFinite(energy));
            Assert.Equal(4.0 * 4 * InteractionBenchmarks.PairsPerStep(n, method, batchSize), InteractionBenchmarks.FlopsPerStep(n, 4, method, batchSize));
            Assert.Equal(
                2.0 * 4 * (InteractionBenchmarks.EvaluationsPerStep(n, method, batchSize) + InteractionBenchmarks.PairsPerStep(n, method, batchSize)),
                InteractionBenchmarks.PerformedFlopsPerStep(n, 4, method, batchSize));
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    /// <summary>The two kernels' codes compute the same step: from the same particles, energies and moved particles agree to
    /// 1e-12 relative (reassociation and the generator's own derivative of J, not the hand-simplified one).</summary>
    [Fact]
    public void TheHandWrittenAndTheGeneratedKernelsAgree()
    {
        double[] Run(string kernel, out double energy)
        {
            var benchmarks = new InteractionBenchmarks { N = 150, D = 6, Evaluation = "exact", Threads = 1, Kernel = kernel };
            benchmarks.Setup();
            try
            {
                energy = benchmarks.Step();
                return benchmarks.ParticleValues.ToArray();
            }
            finally
            {
                benchmarks.Cleanup();
            }
        }

        double[] hand = Run("hand", out double handEnergy), generated = Run("generated", out double generatedEnergy);
        Assert.Equal(handEnergy, generatedEnergy, 1e-12 * Math.Abs(handEnergy));
        double scale = hand.Max(v => Math.Abs(v)), worst = hand.Zip(generated, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 1e-12 * scale, $"largest difference {worst:E2} against a scale {scale:E2}");
        Assert.Throws<ArgumentException>(() => new InteractionBenchmarks { Kernel = "nope" }.Setup());
    }

    /// <summary>The <c>interaction</c> command times a tiny step and prints its JSON line (exit 0); bad options exit 2.</summary>
    [Fact]
    public void TheCommandPrintsOneJsonLineAndRefusesBadOptions()
    {
        var output = new StringWriter();
        Assert.Equal(0, InteractionBenchmarks.Command(["--n", "64", "--d", "4", "--threads", "1", "--steps", "3", "--kernel", "generated"], output));
        string line = output.ToString().Trim();
        Assert.StartsWith("{\"impl\": \"meanfield-generated\", \"measure\": \"step\", \"evaluation\": \"exact\", \"schedule\": \"symmetric\", \"n\": 64, \"d\": 4, \"threads\": 1, \"ms\": ", line, StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(line);

        // Printed to 0.1 GFLOP/s, a tiny step slowed by a busy machine shows 0.0: the time is what must be positive.
        Assert.True(json.RootElement.GetProperty("ms").GetDouble() > 0);
        Assert.True(json.RootElement.GetProperty("gflops_4d").GetDouble() >= 0);

        // Both schedules in turn: two lines. One tile of 64 points runs no off-diagonal block, so at n = 200 (4 tiles):
        // the ordered schedule performs the 4d per pair it is credited with, the symmetric one (E + n²)/(2n²) of it.
        var both = new StringWriter();
        Assert.Equal(0, InteractionBenchmarks.Command(["--n", "200", "--d", "4", "--threads", "1", "--steps", "2", "--schedule", "both"], both));
        string[] lines = both.ToString().Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        using var ordered = System.Text.Json.JsonDocument.Parse(lines[0]);
        using var symmetric = System.Text.Json.JsonDocument.Parse(lines[1]);
        Assert.Equal("ordered", ordered.RootElement.GetProperty("schedule").GetString());
        Assert.Equal("symmetric", symmetric.RootElement.GetProperty("schedule").GetString());
        Assert.Equal(ordered.RootElement.GetProperty("gflops_4d").GetDouble(), ordered.RootElement.GetProperty("gflops_performed").GetDouble());
        double share = (InteractionBenchmarks.EvaluationsPerStep(200, "exact", 64) + (200.0 * 200)) / (2 * 200.0 * 200);
        Assert.Equal(
            share * symmetric.RootElement.GetProperty("gflops_4d").GetDouble(), symmetric.RootElement.GetProperty("gflops_performed").GetDouble(),
            0.1); // both printed to 0.1 GFLOP/s

        // The energy (always exact, whatever --evaluation says): one product per pair, 2d credited per ordered pair.
        var energy = new StringWriter();
        Assert.Equal(0, InteractionBenchmarks.Command(["--n", "200", "--d", "4", "--threads", "1", "--steps", "2", "--measure", "energy", "--evaluation", "rbm"], energy));
        using var energyLine = System.Text.Json.JsonDocument.Parse(energy.ToString().Trim());
        Assert.Equal("energy", energyLine.RootElement.GetProperty("measure").GetString());
        Assert.Equal("exact", energyLine.RootElement.GetProperty("evaluation").GetString());
        Assert.True(energyLine.RootElement.GetProperty("ms").GetDouble() > 0);

        string[][] bad = [["--kernel", "nope"], ["--steps", "0"], ["--evaluation", "x"], ["--n", "abc"], ["--nope", "1"], ["--schedule", "x"], ["--measure", "x"]];
        foreach (string[] options in bad)
        {
            Assert.Equal(2, InteractionBenchmarks.Command(options, TextWriter.Null));
        }
    }

    /// <summary>A bad option's message names that option and the value given, and no rule that holds.</summary>
    [Fact]
    public void OptionProblemsNameOnlyTheRulesBroken()
    {
        Assert.Null(InteractionBenchmarks.OptionProblems(5, 1, "exact", "symmetric", "step"));
        Assert.Equal("--evaluation must be exact or rbm (got 'randombatch')", InteractionBenchmarks.OptionProblems(5, 1, "randombatch", "symmetric", "step"));
        Assert.Equal("--steps must be ≥ 1 (got 0); --measure must be step or energy (got 'x')", InteractionBenchmarks.OptionProblems(0, 1, "rbm", "both", "x"));
        Assert.Equal("--warmup must be ≥ 0 (got -1)", InteractionBenchmarks.OptionProblems(1, -1, "exact", "ordered", "energy"));
        Assert.Equal("--schedule must be symmetric, ordered or both (got 'x')", InteractionBenchmarks.OptionProblems(1, 0, "exact", "x", "energy"));
    }

    /// <summary>
    /// The energy row evaluates what the symmetric values-only run counts (each unordered pair once, diagonal blocks
    /// whole), and both kernels give the same E to 1e-12 (the generated and hand-written K agree to a few ulps).
    /// </summary>
    [Fact]
    public void TheEnergyRowEvaluatesEachUnorderedPairOnce()
    {
        double Run(string kernel)
        {
            var benchmarks = new InteractionEnergyBenchmarks { N = 200, D = 4, Threads = 1, Kernel = kernel };
            benchmarks.Setup();
            try
            {
                long before = benchmarks.KernelEvaluations;
                double energy = benchmarks.Energy();
                Assert.Equal(InteractionBenchmarks.EvaluationsPerStep(200, "exact", 64), benchmarks.KernelEvaluations - before);
                return energy;
            }
            finally
            {
                benchmarks.Cleanup();
            }
        }

        double hand = Run("hand"), generated = Run("generated");
        Assert.True(double.IsFinite(hand) && hand > 0, $"E = {hand}");
        Assert.Equal(hand, generated, 1e-12 * hand);
        Assert.Throws<ArgumentException>(() => new InteractionEnergyBenchmarks { Kernel = "nope" }.Setup());
    }

    [Fact]
    public void TheDefaultsAreTheIssuesShape()
    {
        var benchmarks = new InteractionBenchmarks();
        Assert.Equal((8192, 32, 64, 2), (benchmarks.N, benchmarks.D, benchmarks.BatchSize, benchmarks.Threads));

        // 8192 = 128 batches of 64: n·p pairs, against n² exact.
        Assert.Equal(8192.0 * 64, InteractionBenchmarks.PairsPerStep(8192, "rbm", 64));
        Assert.Equal(8192.0 * 8192, InteractionBenchmarks.PairsPerStep(8192, "exact", 64));

        // Exact: 128 full tiles, so (8192² + 128·64²)/2 evaluations; Random Batch evaluates every pair of its batches.
        Assert.Equal(33_816_576.0, InteractionBenchmarks.EvaluationsPerStep(8192, "exact", 64));
        Assert.Equal(8192.0 * 64, InteractionBenchmarks.EvaluationsPerStep(8192, "rbm", 64));
        Assert.Equal(200.0 * 200, InteractionBenchmarks.PairsPerStep(200, "exact", 64));
        Assert.Equal(((200.0 * 200) - (3 * 4096) - (8 * 8)) / 2 + (3 * 4096) + (8 * 8), InteractionBenchmarks.EvaluationsPerStep(200, "exact", 64));
        Assert.Equal(2.0, GflopsColumn.Gflops(4e9, 2e9));
    }
}

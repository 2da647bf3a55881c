using MeanField.Benchmarks.Tracking;

namespace MeanField.Benchmarks.Tests;

public class ResultComparerTests
{
    private static readonly MachineInfo Machine = new("AMD EPYC", 2, 2, "X64", "AVX512", "Linux", ".NET 10.0.12", "0.15.8", "2025-11-22T21:52:04Z");
    private static readonly ComparisonOptions Options = new(Threshold: 0.10, AllocationToleranceRelative: 0);

    private static BenchmarkEntry Entry(string name, double mean, double error = 0, long? allocated = 0, string parameters = "") =>
        new(name, parameters, mean, error, error / 2, mean, 10, allocated);

    private static ResultSet Set(string source, params BenchmarkEntry[] entries) => new(source, Machine, "Tracking", entries);

    [Theory]
    [InlineData(100, 109, nameof(TimeVerdict.Same))]    // within the threshold
    [InlineData(100, 111, nameof(TimeVerdict.Slower))]  // beyond it, no error known
    [InlineData(100, 89, nameof(TimeVerdict.Faster))]
    [InlineData(100, 91, nameof(TimeVerdict.Same))]
    [InlineData(100, 100, nameof(TimeVerdict.Same))]
    public void TheThresholdIsRelative(double baseline, double current, string verdict)
    {
        var expected = Enum.Parse<TimeVerdict>(verdict);
        var row = ResultComparer.Judge(Entry("A", baseline), Entry("A", current), Options);

        Assert.Equal(expected, row.Time);
        Assert.Equal(current / baseline, row.Ratio, 12);
        Assert.Equal(expected == TimeVerdict.Slower, row.Regressed);
    }

    [Fact]
    public void ASlowdownWithinTheCombinedErrorIsNoise()
    {
        // 30% slower, but the means' 99.9% intervals (±20 and ±30) combine to ±36: not a regression.
        var noisy = ResultComparer.Judge(Entry("A", 100, error: 20), Entry("A", 130, error: 30), Options);
        Assert.Equal(TimeVerdict.Noisy, noisy.Time);
        Assert.Equal(Math.Sqrt(20 * 20 + 30 * 30), noisy.CombinedErrorNs, 12);
        Assert.False(noisy.Regressed);

        // The same slowdown measured tightly is one.
        var real = ResultComparer.Judge(Entry("A", 100, error: 2), Entry("A", 130, error: 3), Options);
        Assert.Equal(TimeVerdict.Slower, real.Time);
        Assert.True(real.Regressed);

        // Beyond the error but within the threshold: the same.
        Assert.Equal(TimeVerdict.Same, ResultComparer.Judge(Entry("A", 100, error: 0.1), Entry("A", 105, error: 0.1), Options).Time);

        // Faster within the error is noise as well, not "faster".
        Assert.Equal(TimeVerdict.Noisy, ResultComparer.Judge(Entry("A", 100, error: 30), Entry("A", 70, error: 20), Options).Time);
    }

    [Fact]
    public void AnUnknownErrorCountsAsZero()
    {
        var row = ResultComparer.Judge(Entry("A", 100, error: double.NaN), Entry("A", 120, error: double.NaN), Options);

        Assert.Equal(0, row.CombinedErrorNs);
        Assert.Equal(TimeVerdict.Slower, row.Time);
    }

    [Theory]
    [InlineData(0L, 0L, 0L, false)]
    [InlineData(0L, 24L, 0L, true)]       // a new allocation in a path that allocated nothing
    [InlineData(1000L, 1001L, 0L, true)]  // any growth ...
    [InlineData(1000L, 1032L, 32L, false)] // ... beyond the tolerance
    [InlineData(1000L, 1033L, 32L, true)]
    [InlineData(1000L, 10L, 0L, false)]   // fewer bytes is fine
    public void AllocatedBytesThatGrewAreARegression(long baseline, long current, long tolerance, bool regressed)
    {
        var row = ResultComparer.Judge(Entry("A", 100, allocated: baseline), Entry("A", 100, allocated: current), Options with { AllocationToleranceBytes = tolerance });

        Assert.Equal(TimeVerdict.Same, row.Time);
        Assert.Equal(regressed, row.AllocationRegressed);
        Assert.Equal(regressed, row.Regressed);
    }

    [Theory]
    [InlineData(0L, 8L, true)]                 // nothing allocated before: the first byte is a regression
    [InlineData(998_534L, 999_261L, false)]    // compiler-cache jitter seen between two runs of GeneratorBenchmarks.FullRun (+0.07 %)
    [InlineData(1_000_000L, 1_010_000L, false)] // exactly 1 %: not beyond
    [InlineData(1_000_000L, 1_010_001L, true)]
    public void RelativeToleranceAbsorbsJitterOfLargeAllocations(long baseline, long current, bool regressed)
    {
        var row = ResultComparer.Judge(Entry("A", 100, allocated: baseline), Entry("A", 100, allocated: current), new ComparisonOptions());

        Assert.Equal(0.01, new ComparisonOptions().AllocationToleranceRelative);
        Assert.Equal(regressed, row.AllocationRegressed);
    }

    [Fact]
    public void ConfirmingRunCountsOnlyWhatRegressedInTheFirstRun()
    {
        // The first run: A slower, B fine. The confirming run (both re-run, as their method filter selects both):
        // A slower again, B slower this time (a slow spell of the machine). Only A counts.
        var baseline = Set("baseline", Entry("A", 100), Entry("B", 100));
        var first = Set("first", Entry("A", 150), Entry("B", 101));
        var confirming = Set("confirming", Entry("A", 150), Entry("B", 160));

        var counted = ResultComparer.RegressedKeys(ResultComparer.Compare(baseline, first, Options));
        Assert.Equal([Entry("A", 100).Key], counted);
        var report = ResultComparer.Compare(baseline, confirming, Options with { CountedKeys = counted });

        Assert.True(report.HasRegression);
        var b = report.Rows.Single(r => r.Key == Entry("B", 100).Key);
        Assert.True(b.Worse);
        Assert.False(b.Regressed);
        string text = ResultComparer.Format(report);
        Assert.Contains("slower (not counted: fine in the first run)", text, StringComparison.Ordinal);
        Assert.Contains("REGRESSION: 1 slower", text, StringComparison.Ordinal);

        // A spell that passes: the confirming run finds A fine again, and B's slowness does not count.
        var passed = ResultComparer.Compare(baseline, Set("confirming", Entry("A", 100), Entry("B", 160)), Options with { CountedKeys = counted });
        Assert.False(passed.HasRegression);
    }

    [Fact]
    public void AllocationsNotMeasuredOnOneSideAreNotCompared()
    {
        Assert.False(ResultComparer.Judge(Entry("A", 100, allocated: null), Entry("A", 100, allocated: 4096), Options).AllocationRegressed);
        Assert.False(ResultComparer.Judge(Entry("A", 100, allocated: 0), Entry("A", 100, allocated: null), Options).AllocationRegressed);
    }

    [Fact]
    public void BenchmarksAreMatchedByNameAndParameters()
    {
        var baseline = Set("base.json",
            Entry("W1.Step", 100, parameters: "Shape=1,2,3&Activation=tanh"),
            Entry("W1.Step", 200, parameters: "Shape=1,2,3&Activation=relu"),
            Entry("Op.Scalar", 10, parameters: "Model=tanh"),
            Entry("Op.Gone", 10));
        var current = Set("current.json",
            Entry("W1.Step", 250, parameters: "Shape=1,2,3&Activation=relu"), // slower
            Entry("Op.Scalar", 10, parameters: "Model=tanh"),
            Entry("W1.Step", 100, parameters: "Shape=1,2,3&Activation=tanh"),
            Entry("Op.Scalar", 10, parameters: "Model=bump"), // new parameter value
            Entry("Op.New", 10));

        var report = ResultComparer.Compare(baseline, current, Options);

        Assert.Equal(3, report.Rows.Count);
        Assert.All(report.Rows, r => Assert.Equal(r.Baseline.Key, r.Current.Key));
        var relu = Assert.Single(report.Rows, r => r.Time == TimeVerdict.Slower);
        Assert.Equal("W1.Step(Shape=1,2,3&Activation=relu)", relu.Key);
        Assert.Equal(["Op.Gone"], report.MissingInCurrent.Select(b => b.Key));
        Assert.Equal(["Op.New", "Op.Scalar(Model=bump)"], report.NewInCurrent.Select(b => b.Key));
        Assert.True(report.HasRegression);
        Assert.Empty(report.MachineDifferences);
        Assert.False(report.JobDiffers);

        string text = ResultComparer.Format(report);
        Assert.Contains("missing in current (only in the baseline): Op.Gone", text);
        Assert.Contains("new in current (not in the baseline): Op.New", text);
        Assert.Contains("W1.Step [Shape=1,2,3, Activation=relu]", text);
        Assert.Contains("SLOWER", text);
        Assert.Contains("REGRESSION: 1 slower, 0 allocating more, of 3 compared", text);
        Assert.DoesNotContain("WARNING", text);
        Assert.Equal(["*W1.Step"], ResultComparer.RegressedFilters(report));
    }

    [Fact]
    public void MissingBenchmarksAloneAreNoRegression()
    {
        var report = ResultComparer.Compare(Set("b", Entry("A", 100), Entry("B", 100)), Set("c", Entry("A", 95)), Options);

        Assert.False(report.HasRegression);
        Assert.Empty(ResultComparer.RegressedFilters(report));
        Assert.Single(report.MissingInCurrent);
        Assert.Contains("OK: no regression in 1 compared (0 faster, 1 missing, 0 new)", ResultComparer.Format(report));
    }

    [Fact]
    public void DifferentMachinesOrJobsAreWarnedAbout()
    {
        var baseline = Set("b", Entry("A", 100));
        var current = Set("c", Entry("A", 100)) with
        {
            Machine = Machine with { Cpu = "Intel Xeon", LogicalCores = 4, Date = "2026-01-01" },
            Job = "Short",
        };

        var report = ResultComparer.Compare(baseline, current, Options);

        Assert.Equal(2, report.MachineDifferences.Count); // the date is not a difference
        Assert.Contains(report.MachineDifferences, d => d.StartsWith("CPU: 'AMD EPYC' vs 'Intel Xeon'", StringComparison.Ordinal));
        Assert.Contains(report.MachineDifferences, d => d.StartsWith("cores (physical/logical): '2/2' vs '2/4'", StringComparison.Ordinal));
        Assert.True(report.JobDiffers);
        string text = ResultComparer.Format(report);
        Assert.StartsWith("WARNING: the results come from different machines", text);
        Assert.Contains("measured with different jobs", text);
        Assert.False(report.HasRegression); // a warning, not a failure
    }

    /// <summary>
    /// A host whose measured FP64 peak is not the baseline's (the suite's own PeakFlops rows, median over threads) is named
    /// in a warning: the 2-core VMs of one ISA have measured 115 and 220–265 GFLOP/s on different days.
    /// </summary>
    [Theory]
    [InlineData(200, 100, 2.00, true)]   // half the peak: everything takes twice as long
    [InlineData(105, 100, 1.05, false)]  // within 20 %
    [InlineData(70, 100, 0.70, true)]    // a faster host
    public void APeakThatDiffersIsWarnedAbout(double currentPeakTime, double baselinePeakTime, double ratio, bool warned)
    {
        var baseline = Set("b", Entry("PeakFlopsBenchmarks.Fma", baselinePeakTime, parameters: "Threads=1"), Entry("PeakFlopsBenchmarks.Fma", baselinePeakTime, parameters: "Threads=2"), Entry("A", 100));
        var current = Set("c", Entry("PeakFlopsBenchmarks.Fma", currentPeakTime, parameters: "Threads=1"), Entry("PeakFlopsBenchmarks.Fma", currentPeakTime, parameters: "Threads=2"), Entry("A", 100));

        var report = ResultComparer.Compare(baseline, current, Options);

        Assert.Equal(ratio, report.PeakTimeRatio!.Value, 12);
        Assert.Equal(warned, ResultComparer.Format(report).Contains("measured FP64 peak differs", StringComparison.Ordinal));
        Assert.Null(ResultComparer.Compare(Set("b", Entry("A", 100)), Set("c", Entry("A", 100)), Options).PeakTimeRatio);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void ABadThresholdIsRejected(double threshold) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ResultComparer.Compare(Set("b"), Set("c"), new ComparisonOptions(threshold)));

    [Theory]
    [InlineData(0.5, "0.50 ns")]
    [InlineData(1500, "1.50 us")]
    [InlineData(75_801_730, "75.80 ms")]
    [InlineData(2_345_000_000, "2.345 s")]
    public void TimesAreFormattedWithUnits(double ns, string expected) => Assert.Equal(expected, ResultComparer.Time(ns));
}

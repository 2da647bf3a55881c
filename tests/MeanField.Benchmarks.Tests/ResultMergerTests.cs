using MeanField.Benchmarks.Tracking;

namespace MeanField.Benchmarks.Tests;

public class ResultMergerTests
{
    private static ResultSet Run(string date, params (string Key, double Mean, long? Allocated)[] entries) =>
        new($"run-{date}.json", MachineInfo.Unknown with { Cpu = "AMD EPYC", Date = date }, "Tracking",
            entries.Select(e => new BenchmarkEntry(e.Key, "", e.Mean, e.Mean / 100, 0, e.Mean, 10, e.Allocated)).ToArray());

    [Fact]
    public void EachBenchmarkTakesTheMedianRun()
    {
        var merged = ResultMerger.Median("baseline.json", [
            Run("2025-01-01", ("A", 25.7, 0), ("B", 100, 84)),
            Run("2025-01-03", ("A", 17.0, 0), ("B", 130, 0)),
            Run("2025-01-02", ("A", 16.9, 0), ("B", 98, 0), ("C", 5, null)),
        ]);

        Assert.Equal("baseline.json", merged.Source);
        Assert.Equal("2025-01-03", merged.Machine.Date); // the latest run's machine
        Assert.Equal(["A", "B", "C"], merged.Benchmarks.Select(b => b.Key));
        Assert.Equal(17.0, merged.Benchmarks[0].MeanNs);
        Assert.Equal(0.17, merged.Benchmarks[0].ErrorNs); // the whole entry of that run
        Assert.Equal(100, merged.Benchmarks[1].MeanNs);
        Assert.Equal(0L, merged.Benchmarks[1].AllocatedBytes); // the smallest allocation seen
        Assert.Null(merged.Benchmarks[2].AllocatedBytes);
    }

    [Fact]
    public void AnEvenCountTakesTheLowerMiddle() =>
        Assert.Equal(10, ResultMerger.Median("b", [Run("1", ("A", 30, 0)), Run("2", ("A", 10, 0))]).Benchmarks[0].MeanNs);

    [Fact]
    public void RunsOfDifferentJobsAreNotMerged()
    {
        var error = Assert.Throws<ResultFormatException>(() => ResultMerger.Median("b", [Run("1"), Run("2") with { Job = "Short" }]));

        Assert.Contains("different jobs", error.Message);
        Assert.Contains("run-1.json", error.Message);
    }
}

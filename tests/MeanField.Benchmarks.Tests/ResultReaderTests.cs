using MeanField.Benchmarks.Tracking;

namespace MeanField.Benchmarks.Tests;

public class ResultReaderTests
{
    /// <summary>An excerpt of a BenchmarkDotNet 0.15 full JSON report (measurements left out).</summary>
    internal const string BenchmarkDotNetReport = """
        {
          "Title": "BenchmarkRun-joined-2025-11-22-21-48-30",
          "HostEnvironmentInfo": {
            "BenchmarkDotNetVersion": "0.15.8", "OsVersion": "Linux Debian GNU/Linux 12 (bookworm)", "ProcessorName": "AMD EPYC",
            "PhysicalProcessorCount": 1, "PhysicalCoreCount": 2, "LogicalCoreCount": 2,
            "RuntimeVersion": ".NET 10.0.12 (10.0.12, 10.0.1226.42308)", "Architecture": "X64"
          },
          "Benchmarks": [
            {
              "DisplayInfo": "OperatorBenchmarks.Scalar: Tracking(IterationCount=10, IterationTime=250ms, LaunchCount=1, WarmupCount=3) [Model=bump]",
              "Namespace": "MeanField.Benchmarks", "Type": "OperatorBenchmarks", "Method": "Scalar", "Parameters": "Model=bump",
              "HardwareIntrinsics": "AVX512 F+BW+CD+DQ+VL,AVX2",
              "Statistics": { "N": 10, "Mean": 66827.8, "Median": 57040.5, "StandardDeviation": 16705.2,
                              "ConfidenceInterval": { "N": 10, "Mean": 66827.8, "Margin": 25255.9, "Lower": 41571.9, "Upper": 92083.7 } },
              "Memory": { "Gen0Collections": 0, "TotalOperations": 4416, "BytesAllocatedPerOperation": 0 },
              "Measurements": []
            },
            {
              "DisplayInfo": "W1StepBenchmarks.Step: Tracking(IterationCount=10, IterationTime=250ms, LaunchCount=1, WarmupCount=3) [Shape=4096,64,4096, Activation=tanh, Threads=2]",
              "Type": "W1StepBenchmarks", "Method": "Step", "Parameters": "Shape=4096,64,4096&Activation=tanh&Threads=2",
              "Statistics": { "N": 10, "Mean": 75801730.0, "Median": 75000000.0, "StandardDeviation": 2012560.0,
                              "ConfidenceInterval": { "Margin": 3042704.0 } },
              "Memory": { "BytesAllocatedPerOperation": 48 }
            },
            {
              "DisplayInfo": "W1StepBenchmarks.Step: failed", "Type": "W1StepBenchmarks", "Method": "Step", "Parameters": "Shape=1,1,1&Activation=tanh&Threads=2",
              "Statistics": null
            }
          ]
        }
        """;

    [Fact]
    public void ReadsBenchmarkDotNetReports()
    {
        var set = ResultReader.Parse(BenchmarkDotNetReport, "report.json");

        Assert.Equal(2, set.Benchmarks.Count); // the failed one (no statistics) is left out
        var scalar = set.Benchmarks[0];
        Assert.Equal("OperatorBenchmarks.Scalar", scalar.Name);
        Assert.Equal("OperatorBenchmarks.Scalar(Model=bump)", scalar.Key);
        Assert.Equal(66827.8, scalar.MeanNs);
        Assert.Equal(25255.9, scalar.ErrorNs);
        Assert.Equal(16705.2, scalar.StdDevNs);
        Assert.Equal(57040.5, scalar.MedianNs);
        Assert.Equal(10, scalar.Iterations);
        Assert.Equal(0L, scalar.AllocatedBytes);
        Assert.Equal("W1StepBenchmarks.Step(Shape=4096,64,4096&Activation=tanh&Threads=2)", set.Benchmarks[1].Key);
        Assert.Equal(48L, set.Benchmarks[1].AllocatedBytes);
        Assert.Equal("Tracking(IterationCount=10, IterationTime=250ms, LaunchCount=1, WarmupCount=3)", set.Job);
        Assert.Equal("AMD EPYC", set.Machine.Cpu);
        Assert.Equal(2, set.Machine.LogicalCores);
        Assert.Equal("AVX512 F+BW+CD+DQ+VL,AVX2", set.Machine.HardwareIntrinsics);
        Assert.StartsWith(".NET 10.0.12", set.Machine.Runtime);
        Assert.StartsWith("2025-11-2", set.Machine.Date);
    }

    [Fact]
    public void CompactFilesRoundTrip()
    {
        var set = ResultReader.Parse(BenchmarkDotNetReport, "report.json");

        string json = ResultWriter.ToJson(set);
        var back = ResultReader.Parse(json, "baseline.json");

        Assert.Contains("\"format\": \"meanfield-benchmark-results/1\"", json);
        Assert.Contains("AVX512 F+BW+CD+DQ+VL", json); // readable, not \u002B
        Assert.Equal(set.Machine, back.Machine);
        Assert.Equal(set.Job, back.Job);
        Assert.Equal(set.Benchmarks.OrderBy(b => b.Key, StringComparer.Ordinal), back.Benchmarks);
    }

    [Fact]
    public void MissingMemoryMeansNotMeasured()
    {
        string json = """{ "Benchmarks": [ { "Type": "T", "Method": "M", "Statistics": { "Mean": 5 } } ] }""";

        var entry = Assert.Single(ResultReader.Parse(json, "x.json").Benchmarks);

        Assert.Equal("T.M", entry.Key);
        Assert.Null(entry.AllocatedBytes);
        Assert.Equal(0, entry.ErrorNs);
        Assert.Equal(MachineInfo.Unknown, ResultReader.Parse(json, "x.json").Machine);
    }

    [Theory]
    [InlineData("{ \"Benchmarks\": [ ", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("[1, 2]", "neither a BenchmarkDotNet JSON report")]
    [InlineData("{ \"results\": [] }", "neither a BenchmarkDotNet JSON report")]
    [InlineData("{ \"Benchmarks\": 3 }", "expected \"Benchmarks\" to be a JSON array")]
    [InlineData("{ \"Benchmarks\": [ { \"Method\": \"M\", \"Statistics\": { \"Mean\": 1 } } ] }", "expected \"Type\" to be a JSON string")]
    [InlineData("{ \"Benchmarks\": [ { \"Type\": \"T\", \"Method\": \"M\", \"Statistics\": { \"Mean\": \"fast\" } } ] }", "expected \"Mean\" to be a JSON number")]
    [InlineData("{ \"Benchmarks\": [ { \"Type\": \"T\", \"Method\": \"M\", \"Statistics\": { \"Mean\": -1 } } ] }", "expected a non-negative time")]
    [InlineData("{ \"format\": \"other/2\", \"benchmarks\": [] }", "unknown format 'other/2'")]
    [InlineData("{ \"format\": \"meanfield-benchmark-results/1\", \"benchmarks\": [] }", "expected \"machine\" to be a JSON object")]
    [InlineData("{ \"format\": \"meanfield-benchmark-results/1\", \"machine\": {}, \"benchmarks\": [ { \"name\": \"A\", \"meanNs\": 1 }, { \"name\": \"A\", \"meanNs\": 2 } ] }", "A appears 2 times")]
    public void BadInputIsAnErrorNamingTheFile(string json, string expected)
    {
        var error = Assert.Throws<ResultFormatException>(() => ResultReader.Parse(json, "results/current.json"));

        Assert.StartsWith("results/current.json: ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void MissingFileOrEmptyFolderIsAnErrorNamingIt()
    {
        string folder = Path.Combine(Path.GetTempPath(), "meanfield-bench-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string missing = Path.Combine(folder, "nope.json");
            Assert.StartsWith($"{missing}: no such file", Assert.Throws<ResultFormatException>(() => ResultReader.Read(missing)).Message);
            Assert.StartsWith($"{folder}: the folder has no *.json", Assert.Throws<ResultFormatException>(() => ResultReader.Read(folder)).Message);

            string bad = Path.Combine(folder, "bad.json");
            File.WriteAllText(bad, "{ not json");
            Assert.StartsWith($"{bad}: not valid JSON", Assert.Throws<ResultFormatException>(() => ResultReader.Read(bad)).Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AFolderIsMergedAndDuplicatesAcrossFilesAreAnError()
    {
        string folder = Path.Combine(Path.GetTempPath(), "meanfield-bench-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "a-report-full.json"), """{ "Benchmarks": [ { "Type": "A", "Method": "M", "Statistics": { "Mean": 1 } } ] }""");
            File.WriteAllText(Path.Combine(folder, "b-report-full.json"), """{ "Benchmarks": [ { "Type": "B", "Method": "M", "Statistics": { "Mean": 2 } } ] }""");

            var set = ResultReader.Read(folder);
            Assert.Equal(["A.M", "B.M"], set.Benchmarks.Select(b => b.Key));

            File.WriteAllText(Path.Combine(folder, "c-report-full.json"), """{ "Benchmarks": [ { "Type": "A", "Method": "M", "Statistics": { "Mean": 3 } } ] }""");
            var error = Assert.Throws<ResultFormatException>(() => ResultReader.Read(folder));
            Assert.Contains("A.M is in both", error.Message);
            Assert.Contains("c-report-full.json", error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

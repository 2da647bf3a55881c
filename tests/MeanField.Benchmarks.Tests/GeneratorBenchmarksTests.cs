using MeanField.Benchmarks;
using MeanField.Generators;
using Microsoft.CodeAnalysis;

namespace MeanField.Benchmarks.Tests;

/// <summary>GeneratorBenchmarks measures what it says: a cold run emits the four models, an unrelated edit reuses every
/// cached output, a model edit regenerates that model (alternating between its two versions).</summary>
public sealed class GeneratorBenchmarksTests
{
    private static GeneratorBenchmarks Prepared()
    {
        var benchmarks = new GeneratorBenchmarks { TrackSteps = true, WarmUpTime = TimeSpan.Zero };
        benchmarks.Setup();
        return benchmarks;
    }

    [Fact]
    public void FullRunEmitsTheFourModelsWithoutDiagnostics()
    {
        var result = Prepared().FullRun().GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(
            ["MeanField.Models.FourierNetwork.g.cs", "MeanField.Models.GaussianBumpNetwork.g.cs", "MeanField.Models.ReluNetwork.g.cs", "MeanField.Models.TanhNetwork.g.cs"],
            result.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void UnrelatedEditReusesEveryOutput()
    {
        var benchmarks = Prepared();
        for (int edit = 0; edit < 3; edit++)
        {
            var result = benchmarks.UnrelatedEdit().GetRunResult().Results.Single();
            Assert.Equal(4, result.GeneratedSources.Length);
            var outputs = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        }
    }

    [Fact]
    public void ModelEditRegeneratesOnlyThatModel()
    {
        var benchmarks = Prepared();
        for (int edit = 0; edit < 2; edit++)
        {
            var result = benchmarks.ModelEdit().GetRunResult().Results.Single();
            var tanh = result.GeneratedSources.Single(s => s.HintName == "MeanField.Models.TanhNetwork.g.cs").SourceText.ToString();
            Assert.Contains(edit == 0 ? "atan" : "tanh", tanh, StringComparison.Ordinal);

            var specs = result.TrackedSteps[MeanFieldGenerator.NetworkSteps.Specs].SelectMany(s => s.Outputs).ToList();
            Assert.Single(specs, o => o.Reason == IncrementalStepRunReason.Modified);
        }
    }

    [Fact]
    public void EveryPathologicalShapeGeneratesOneFileWithoutDiagnostics()
    {
        var benchmarks = Prepared();
        Assert.Equal(["H6", "Q16", "R20", "Sum600", "T12", "Tanh250"], GeneratorBenchmarks.PathologicalShapes.Order(StringComparer.Ordinal));
        foreach (string shape in GeneratorBenchmarks.PathologicalShapes)
        {
            var result = benchmarks.Pathological(shape).GetRunResult().Results.Single();
            Assert.Null(result.Exception);
            Assert.Empty(result.Diagnostics);
            Assert.Equal($"Pathological.{shape}Network.g.cs", Assert.Single(result.GeneratedSources).HintName);
        }
    }
}

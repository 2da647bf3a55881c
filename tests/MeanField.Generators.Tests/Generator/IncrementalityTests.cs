using MeanField.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MeanField.Generators.Tests.Generator;

/// <summary>An edit that does not touch a model leaves every tracked step Cached or Unchanged.</summary>
public sealed class IncrementalityTests
{
    private const string Model = """
        namespace Demo;
        [MeanFieldNetwork]
        public partial struct Net
        {
            [Activation] public static double S(double z) => Math.Tanh(z);
            [Cost] public static double Loss(double y, double p) => 0.5 * (p - y) * (p - y);
        }
        """;

    private static readonly string[] TrackedSteps = { NetworkGenerator.Steps.Parse, NetworkGenerator.Steps.Specs, NetworkGenerator.Steps.Emit, NetworkGenerator.Steps.Diagnostics };

    [Fact]
    public void UnrelatedEditKeepsEveryStepCached()
    {
        var compilation = GeneratorHarness.CreateCompilation(Model, "namespace Demo; public static class Other { public static int A => 1; }");
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var other = compilation.SyntaxTrees.Single(t => t.FilePath == "Model1.cs");
        var edited = compilation.ReplaceSyntaxTree(other, CSharpSyntaxTree.ParseText("namespace Demo; public static class Other { public static int A => 2; public static int B => 3; }", GeneratorHarness.ParseOptions, "Model1.cs"));
        driver = driver.RunGenerators(edited);

        var result = driver.GetRunResult().Results.Single();
        Assert.Single(result.GeneratedSources);
        foreach (var step in TrackedSteps)
        {
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void EditingTheModelRegeneratesIt()
    {
        var compilation = GeneratorHarness.CreateCompilation(Model);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == "Model0.cs");
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(Model.Replace("Math.Tanh(z)", "Math.Atan(z)", StringComparison.Ordinal), GeneratorHarness.ParseOptions, "Model0.cs"));
        driver = driver.RunGenerators(edited);

        var result = driver.GetRunResult().Results.Single();
        var outputs = result.TrackedSteps[NetworkGenerator.Steps.Specs].SelectMany(s => s.Outputs).ToList();
        Assert.Contains(outputs, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("atan", Assert.Single(result.GeneratedSources).SourceText.ToString(), StringComparison.Ordinal);
    }
}

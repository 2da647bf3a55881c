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

    private static readonly string[] TrackedSteps = { MeanFieldGenerator.NetworkSteps.Parse, MeanFieldGenerator.NetworkSteps.Specs, MeanFieldGenerator.NetworkSteps.Emit, MeanFieldGenerator.NetworkSteps.Diagnostics };

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
        var outputs = result.TrackedSteps[MeanFieldGenerator.NetworkSteps.Specs].SelectMany(s => s.Outputs).ToList();
        Assert.Contains(outputs, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("atan", Assert.Single(result.GeneratedSources).SourceText.ToString(), StringComparison.Ordinal);
    }

    private const string Interaction = """
        namespace Demo;
        [InteractionEnergy]
        public partial struct Pairs
        {
            [Kernel] public static double K(double c, ReadOnlySpan<double> z, double c2, ReadOnlySpan<double> z2) => c * c2 * Math.Exp(-SquaredDistance(z, z2));
        }
        """;

    private static readonly string[] InteractionSteps = { MeanFieldGenerator.InteractionSteps.Parse, MeanFieldGenerator.InteractionSteps.Specs, MeanFieldGenerator.InteractionSteps.Emit, MeanFieldGenerator.InteractionSteps.Diagnostics };

    /// <summary>A network and an interaction in one compilation: an unrelated edit keeps both kinds' steps cached,
    /// editing the interaction regenerates it and leaves the network's spec cached.</summary>
    [Fact]
    public void BothKindsAreCachedIndependently()
    {
        var compilation = GeneratorHarness.CreateCompilation(Model, Interaction, "namespace Demo; public static class Other { public static int A => 1; }");
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var other = compilation.SyntaxTrees.Single(t => t.FilePath == "Model2.cs");
        var edited = compilation.ReplaceSyntaxTree(other, CSharpSyntaxTree.ParseText("namespace Demo; public static class Other { public static int A => 2; }", GeneratorHarness.ParseOptions, "Model2.cs"));
        driver = driver.RunGenerators(edited);
        var result = driver.GetRunResult().Results.Single();
        Assert.Equal(new[] { "Demo.Net.g.cs", "Demo.Pairs.g.cs" }, result.GeneratedSources.Select(s => s.HintName).OrderBy(h => h, StringComparer.Ordinal));
        foreach (var step in TrackedSteps.Concat(InteractionSteps))
        {
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));

        var tree = edited.SyntaxTrees.Single(t => t.FilePath == "Model1.cs");
        var edited2 = edited.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(Interaction.Replace("Math.Exp(", "Math.Tanh(", StringComparison.Ordinal), GeneratorHarness.ParseOptions, "Model1.cs"));
        result = driver.RunGenerators(edited2).GetRunResult().Results.Single();
        Assert.Contains(result.TrackedSteps[MeanFieldGenerator.InteractionSteps.Specs].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.All(result.TrackedSteps[MeanFieldGenerator.NetworkSteps.Specs].SelectMany(s => s.Outputs), o => Assert.NotEqual(IncrementalStepRunReason.Modified, o.Reason));
        Assert.Contains("tanh", result.GeneratedSources.Single(s => s.HintName == "Demo.Pairs.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    private const string Game = """
        namespace Demo;
        [MeanFieldGame(Viscosity = 0.5)]
        public partial struct Crowd
        {
            [Hamiltonian] public static double H(double x, double p, double m) => 0.5 * p * p - Math.Log(m);
        }
        """;

    private static readonly string[] GameSteps = { MeanFieldGenerator.GameSteps.Parse, MeanFieldGenerator.GameSteps.Specs, MeanFieldGenerator.GameSteps.Emit, MeanFieldGenerator.GameSteps.Diagnostics };

    /// <summary>A game beside a network: an unrelated edit keeps the game's steps cached (its spec, symbolic expressions
    /// included, compares equal), editing the game regenerates it and leaves the network's spec cached.</summary>
    [Fact]
    public void GamesAreCachedIndependently()
    {
        var compilation = GeneratorHarness.CreateCompilation(Model, Game, "namespace Demo; public static class Other { public static int A => 1; }");
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var other = compilation.SyntaxTrees.Single(t => t.FilePath == "Model2.cs");
        var edited = compilation.ReplaceSyntaxTree(other, CSharpSyntaxTree.ParseText("namespace Demo; public static class Other { public static int A => 2; }", GeneratorHarness.ParseOptions, "Model2.cs"));
        driver = driver.RunGenerators(edited);
        var result = driver.GetRunResult().Results.Single();
        Assert.Equal(new[] { "Demo.Crowd.g.cs", "Demo.Net.g.cs" }, result.GeneratedSources.Select(s => s.HintName).OrderBy(h => h, StringComparer.Ordinal));
        foreach (var step in GameSteps)
        {
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }

        var tree = edited.SyntaxTrees.Single(t => t.FilePath == "Model1.cs");
        var edited2 = edited.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(Game.Replace("Math.Log(m)", "m * m", StringComparison.Ordinal), GeneratorHarness.ParseOptions, "Model1.cs"));
        result = driver.RunGenerators(edited2).GetRunResult().Results.Single();
        Assert.Contains(result.TrackedSteps[MeanFieldGenerator.GameSteps.Specs].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.All(result.TrackedSteps[MeanFieldGenerator.NetworkSteps.Specs].SelectMany(s => s.Outputs), o => Assert.NotEqual(IncrementalStepRunReason.Modified, o.Reason));
        Assert.Contains("m²", result.GeneratedSources.Single(s => s.HintName == "Demo.Crowd.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Hint names are unique across kinds: a network and an interaction whose full names differ only in case
    /// get two files, the second with <c>.2</c>.</summary>
    [Fact]
    public void HintNamesAreUniqueAcrossKinds()
    {
        var result = GeneratorHarness.Run(Model, Interaction.Replace("struct Pairs", "struct NET", StringComparison.Ordinal)).Result;
        Assert.Empty(result.Diagnostics);
        Assert.Equal(new[] { "Demo.NET.g.cs", "Demo.Net.2.g.cs" }, result.GeneratedSources.Select(s => s.HintName).OrderBy(h => h, StringComparer.Ordinal));
    }
}

using System.Diagnostics;
using MeanField.Generators.Tests.Infrastructure;

namespace MeanField.Generators.Tests.Games;

/// <summary>
/// Games in the vector form, <c>H(ReadOnlySpan&lt;double&gt; x, ReadOnlySpan&lt;double&gt; p, double m)</c> with
/// <c>[MeanFieldGame(Dimension = d)]</c> (specs/mfg.md §9): the ways of writing a sum over the components give the same
/// formulas, and a high-dimensional game whose convexity must be sampled is generated promptly.
/// </summary>
public sealed class VectorFormTests
{
    private static string Game(int d, string h, string extra = "")
        => $"namespace Demo; [MeanFieldGame(Viscosity = 0.5, Dimension = {d})] public partial struct G {{ [Hamiltonian] public static double H(ReadOnlySpan<double> x, ReadOnlySpan<double> p, double m) => {h}; {extra} }}";

    /// <summary>The generated file's derived formulas (the header lines from H on): what the generator made of H.</summary>
    private static string Formulas(string source)
    {
        var (result, output) = GeneratorHarness.Run(source);
        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilationErrors(output));
        string text = Assert.Single(result.GeneratedSources).SourceText.ToString();
        var lines = text.Split('\n').Where(l => l.StartsWith("// ", StringComparison.Ordinal)).ToArray();
        int from = Array.FindIndex(lines, l => l.StartsWith("// H = ", StringComparison.Ordinal));
        Assert.True(from >= 0, text);
        return string.Join("\n", lines.Skip(from));
    }

    public static TheoryData<string, string> SumForms() => new()
    {
        { "Sum with a lambda", "0.5 * SquaredNorm(p) + Sum(x, t => Math.Cos(2 * Math.PI * t)) - Math.Log(m)" },
        { "Sum with a method group", "0.5 * SquaredNorm(p) + Sum(x, F) - Math.Log(m)" },
        { "constant indices", "0.5 * (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]) + F(x[0]) + F(x[1]) + F(x[2]) - Math.Log(m)" },
        { "Dot", "0.5 * Dot(p, p) + Sum(x, F) - Math.Log(m)" },
        { "Sum over two vectors", "Sum(p, p, (a, b) => 0.5 * a * b) + Sum(x, F) - Math.Log(m)" },
        { "a helper taking the vector", "Kinetic(p) + Sum(x, F) - Math.Log(m)" },
    };

    /// <summary>
    /// Every way of writing the sums generates without diagnostics and compiles, with one term per component in the
    /// derivation (the generated code of these forms is compared numerically in the runtime tests,
    /// <c>GeneratedGameTests.SumFormsGiveTheSameGame</c>).
    /// </summary>
    [Theory]
    [MemberData(nameof(SumForms))]
    public void EveryWayOfWritingASumGeneratesAndCompiles(string form, string h)
    {
        const string Helpers = "static double F(double t) => Math.Cos(2 * Math.PI * t); static double Kinetic(ReadOnlySpan<double> q) => 0.5 * SquaredNorm(q);";
        string formulas = Formulas(Game(3, h, Helpers));
        Assert.True(formulas.Contains("x[2]", StringComparison.Ordinal) && formulas.Contains("p[2]", StringComparison.Ordinal), form + ": " + formulas);
    }

    /// <summary>
    /// d = 30 with ∂²H/∂p_k² = 1.5 + cos 2πx_k, not a constant, so convexity is sampled: over the symbols each second
    /// derivative uses (x_k alone), not the 61-symbol grid (7^30 · 4^30 points, which would never finish). The bound
    /// (60 s, for a run that takes a few seconds) only catches that blow-up; speed is not asserted.
    /// </summary>
    [Fact]
    public void HighDimensionalGameWithSampledConvexityIsGeneratedPromptly()
    {
        var watch = Stopwatch.StartNew();
        string formulas = Formulas(Game(30, "Sum(x, p, (a, b) => 0.5 * (1.5 + Math.Cos(2 * Math.PI * a)) * b * b) - Math.Log(m)"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"generation took {watch.Elapsed}");
        Assert.Contains("p[29]", formulas, StringComparison.Ordinal);
    }

    /// <summary>A vector-form H concave in one component is rejected (MF0204) with the sampled point named.</summary>
    [Fact]
    public void ConcaveComponentIsReportedWithItsPoint()
    {
        var (result, _) = GeneratorHarness.Run(Game(12, "Sum(x, p, (a, b) => (Math.Cos(2 * Math.PI * a) - 0.5) * b * b) - Math.Log(m)"));
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("MF0204", diagnostic.Id);
        Assert.Contains("x[0] = ", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }
}

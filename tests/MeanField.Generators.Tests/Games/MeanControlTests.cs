using MeanField.Generators.Tests.Infrastructure;

namespace MeanField.Generators.Tests.Games;

/// <summary>
/// The 1-D mean-control form H(x, p, m, mu) / L(x, v, m, mu) (specs/mfg.md §9, §5.3): the scheme is built from H at
/// μ = 0, c = ∂H/∂μ (or −∂L/∂μ) is written out, and the generated game reports the mean control.
/// </summary>
public sealed class MeanControlTests
{
    private static string Lines(string body)
    {
        var (result, output) = GeneratorHarness.Run($"namespace Demo; [MeanFieldGame(Viscosity = 0.01)] public partial struct G {{ {body} }}");
        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilationErrors(output));
        return Assert.Single(result.GeneratedSources).SourceText.ToString();
    }

    [Fact]
    public void HamiltonianFormSplitsOffTheMeanControl()
    {
        string text = Lines("[Hamiltonian] public static double H(double x, double p, double m, double mu) => p * p / 4 + 2 * Math.Sin(x) * mu - 0.1 * x * x;");
        Assert.Contains("// Declared: the Hamiltonian H(x, p, m, mu)", text, StringComparison.Ordinal);
        Assert.Contains("// H = p² / 4 − x² / 10\n", text, StringComparison.Ordinal);
        Assert.Contains("// c = 2·sin(x)\n", text, StringComparison.Ordinal);
        Assert.Contains("HasMeanControl => true;", text, StringComparison.Ordinal);
        Assert.Contains("MeanControlCoupling(global::System.ReadOnlySpan<double> x)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void LagrangianFormGivesMinusTheSlopeOfL()
    {
        string text = Lines("[Lagrangian] public static double L(double x, double v, double m, double mu) => v * v - 3 * x * mu + 0.1 * x * x;");
        Assert.Contains("// Declared: the Lagrangian L(x, v, m, mu)", text, StringComparison.Ordinal);
        Assert.Contains("// c = 3·x\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void GameWithoutMeanControlWritesNone()
    {
        string text = Lines("[Hamiltonian] public static double H(double x, double p, double m) => p * p / 4 - Math.Log(m);");
        Assert.DoesNotContain("HasMeanControl", text, StringComparison.Ordinal);
        Assert.DoesNotContain("// c = ", text, StringComparison.Ordinal);
    }
}

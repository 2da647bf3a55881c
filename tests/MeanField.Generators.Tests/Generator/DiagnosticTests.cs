using MeanField.Generators.Diagnostics;
using MeanField.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace MeanField.Generators.Tests.Generator;

/// <summary>One test per diagnostic ID: the right ID at the marked span, no generated file, no exception.</summary>
public sealed class DiagnosticTests
{
    private const string Cost = "[Cost] public static double Loss(double y, double p) => 0.5 * (p - y) * (p - y);";
    private const string Tanh = "[Activation] public static double S(double z) => Math.Tanh(z);";
    private const string Kernel = "[Kernel] public static double K(double c, ReadOnlySpan<double> w, double c2, ReadOnlySpan<double> w2) => c * c2 * Dot(w, w2);";
    private const string Game = "[MeanFieldGame(Viscosity = 0.5)] public partial struct";
    private const string Game10 = "[MeanFieldGame(Viscosity = 0.5, Dimension = 10)] public partial struct";
    private const string VectorH = "[Hamiltonian] public static double H(ReadOnlySpan<double> x, ReadOnlySpan<double> p, double m) => 0.5 * SquaredNorm(p) - Math.Log(m);";
    private const string Quadratic = "[Hamiltonian] public static double H(double x, double p, double m) => 0.5 * p * p - Math.Log(m);";

    /// <summary>H9 applies H0 512 times: 512 levels of value (MF0018 beyond 256), from shallow syntax.</summary>
    private const string Composed = "static double H0(double t) => Math.Tanh(t); static double H1(double t) => H0(H0(t)); static double H2(double t) => H1(H1(t)); "
        + "static double H3(double t) => H2(H2(t)); static double H4(double t) => H3(H3(t)); static double H5(double t) => H4(H4(t)); "
        + "static double H6(double t) => H5(H5(t)); static double H7(double t) => H6(H6(t)); static double H8(double t) => H7(H7(t)); static double H9(double t) => H8(H8(t));";

    [Theory]
    [InlineData("MF0001", "[MeanFieldNetwork] public struct [|M|] { " + Tanh + " " + Cost + " }")]
    [InlineData("MF0002", "[MeanFieldNetwork] public static partial class [|M|] { " + Tanh + " " + Cost + " }")]
    [InlineData("MF0002", "[MeanFieldNetwork] public partial class [|M|] { " + Tanh + " " + Cost + " }")]
    [InlineData("MF0002", "[MeanFieldNetwork] public partial record [|M|] { " + Tanh + " " + Cost + " }")]
    [InlineData("MF0003", "public partial class Outer { [MeanFieldNetwork] public partial struct [|M|] { " + Tanh + " " + Cost + " } }")]
    [InlineData("MF0003", "[MeanFieldNetwork] public partial struct [|M|]<T> { " + Tanh + " " + Cost + " }")]
    [InlineData("MF0004", "[MeanFieldNetwork] public partial struct [|M|] { " + Cost + " }")]
    [InlineData("MF0005", "[MeanFieldNetwork] public partial struct M { " + Tanh + " [Activation] public static double [|S2|](double z) => z; " + Cost + " }")]
    [InlineData("MF0005", "[MeanFieldNetwork] public partial struct M { " + Tanh + " [Unit] public static double [|U|](double c, ReadOnlySpan<double> x) => c; " + Cost + " }")]
    [InlineData("MF0006", "[MeanFieldNetwork] public partial struct [|M|] { " + Tanh + " }")]
    [InlineData("MF0007", "[MeanFieldNetwork] public partial struct M { [Activation] public static double [|S|](double z, double k) => z; " + Cost + " }")]
    [InlineData("MF0007", "[MeanFieldNetwork] public partial struct M { [Unit] public static double U(double c, ReadOnlySpan<double> w) => c; [Cost] public static double [|L|](double y, float p) => y; }")]
    [InlineData("MF0007", "[MeanFieldNetwork] public partial struct M { " + Tanh + " " + Cost + " [Regularizer] public static double [|R|](double c, double b) => c * c; }")]
    [InlineData("MF0008", "[MeanFieldNetwork] public partial struct M { [Activation] public double [|S|](double z) => z; " + Cost + " }")]
    [InlineData("MF0009", "[MeanFieldNetwork] public partial struct M { [Activation] public static double S(double z) { [|for (int i = 0; i < 3; i++) z += 1;|] return z; } " + Cost + " }")]
    [InlineData("MF0010", "[MeanFieldNetwork] public partial struct M { [Activation] public static double S(double z) => [|z % 2.0|]; " + Cost + " }")]
    [InlineData("MF0010", "[MeanFieldNetwork] public partial struct M { static double Scale = 2; [Activation] public static double S(double z) => [|Scale|] * z; " + Cost + " }")]
    [InlineData("MF0011", "public static class Other { public static double F(double z) => z; } [MeanFieldNetwork] public partial struct M { [Activation] public static double S(double z) => [|Other.F(z)|]; " + Cost + " }")]
    [InlineData("MF0012", "[MeanFieldNetwork] public partial struct M { [Activation] public static double S(double z) => [|Math.Sinh(z)|]; " + Cost + " }")]
    [InlineData("MF0013", "[MeanFieldNetwork] public partial struct M { static double F(double z) => [|F(z - 1)|]; [Activation] public static double S(double z) => F(z); " + Cost + " }")]
    [InlineData("MF0014", "[MeanFieldNetwork] public partial struct M { [Activation] public static double S(double z) => z * [|(int)z|]; " + Cost + " }")]
    [InlineData("MF0015", "[MeanFieldNetwork] public partial struct M { [Activation] public static double S(double z) => [|z == 0|] ? 1 : z; " + Cost + " }")]
    [InlineData("MF0016", "[MeanFieldNetwork] public partial struct M { [Unit] public static double U(double c, ReadOnlySpan<double> w, ReadOnlySpan<double> x) => c * [|w[0]|]; " + Cost + " }")]
    [InlineData("MF0017", "[MeanFieldNetwork] public partial struct M { public const string [|Derivation|] = \"notes\"; " + Tanh + " " + Cost + " }")]
    [InlineData("MF0017", "[MeanFieldNetwork] public partial struct M { " + Tanh + " " + Cost + " public static int [|Formulas|]() => 1; }")]
    [InlineData("MF0017", "[MeanFieldNetwork] public partial struct M { " + Tanh + " " + Cost + " private class [|MeanFieldGeneratedLayout|] { } }")]
    [InlineData("MF0018", "[MeanFieldNetwork] public partial struct M { " + Composed + " [Activation] public static double S(double z) => [|H9(z)|]; " + Cost + " }")]
    [InlineData("MF0019", "[MeanFieldNetwork] public ref partial struct [|M|] { " + Tanh + " " + Cost + " }")]
    [InlineData("MF0019", "[MeanFieldNetwork] public partial struct [|Formulas|] { " + Tanh + " " + Cost + " }")]
    [InlineData("MF0007", "[InteractionEnergy] public partial struct M { " + Kernel + " [Potential] public static double [|F|](double c) => c; }")]
    [InlineData("MF0007", "[InteractionEnergy] public partial struct M { " + Kernel + " [Confinement] public static double [|U|](ReadOnlySpan<double> w, double c) => c; }")]
    [InlineData("MF0008", "[InteractionEnergy] public partial struct M { [Kernel] public double [|K|](double c, double c2) => c * c2; }")]
    [InlineData("MF0016", "[InteractionEnergy] public partial struct M { [Kernel] public static double K(double c, ReadOnlySpan<double> w, double c2, ReadOnlySpan<double> w2) => c * [|w2[0]|]; }")]
    [InlineData("MF0018", "[InteractionEnergy] public partial struct M { " + Composed + " [Kernel] public static double K(double c, double c2) => [|H9(c * c2)|]; }")]
    [InlineData("MF0101", "[InteractionEnergy] public partial struct [|M|] { [Potential] public static double F(double c) => c; }")]
    [InlineData("MF0102", "[InteractionEnergy] public partial struct M { " + Kernel + " [Kernel] public static double [|K2|](double c, ReadOnlySpan<double> w, double c2, ReadOnlySpan<double> w2) => c; }")]
    [InlineData("MF0102", "[InteractionEnergy] public partial struct M { " + Kernel + " [Potential] public static double F(double c, ReadOnlySpan<double> w) => c; [Potential] public static double [|G|](double c, ReadOnlySpan<double> w) => c; }")]
    [InlineData("MF0103", "[InteractionEnergy] public partial struct M { [Kernel] public static double [|K|](double c, ReadOnlySpan<double> w, ReadOnlySpan<double> w2, double c2) => c * c2; }")]
    [InlineData("MF0103", "[InteractionEnergy] public partial struct M { [Kernel] public static double [|K|](double c, double c2, double c3) => c * c2; }")]
    [InlineData("MF0103", "[InteractionEnergy] public partial struct M { [Kernel] public static double [|K|]() => 1; }")]
    [InlineData("MF0104", "[MeanFieldNetwork] [InteractionEnergy] public partial struct [|M|] { " + Kernel + " }")]
    [InlineData("MF0104", "[InteractionEnergy] public partial struct M { " + Kernel + " [Cost] public static double [|L|](double y, double p) => y; }")]
    [InlineData("MF0007", Game + " G { [Hamiltonian] public static double [|H|](double x, double p) => p * p; }")]
    [InlineData("MF0007", Game + " G { [Hamiltonian] public static double [|H|](double x, double y, double px, double py, double m, double k) => px * px; }")]
    [InlineData("MF0007", Game + " G { [Hamiltonian] public static double [|H|](double x, ReadOnlySpan<double> p, double m) => SquaredNorm(p); }")]
    [InlineData("MF0007", Game + " G { " + Quadratic + " [InitialDensity] public static double [|M0|](double x, double y) => 1; }")]
    [InlineData("MF0007", Game + " G { " + Quadratic + " [TerminalCost] public static double [|G0|](double x) => x; }")]
    [InlineData("MF0104", "[MeanFieldGame(Viscosity = 0.5)] [MeanFieldNetwork] public partial struct [|G|] { " + Quadratic + " }")]
    [InlineData("MF0104", Game + " G { " + Quadratic + " [Kernel] public static double [|K|](double c, double c2) => c * c2; }")]
    [InlineData("MF0201", Game + " [|G|] { [InitialDensity] public static double M0(double x) => 1; }")]
    [InlineData("MF0202", Game + " G { " + Quadratic + " [Lagrangian] public static double [|L|](double x, double v, double m) => v * v; }")]
    [InlineData("MF0202", Game + " G { " + Quadratic + " [TerminalCost] public static double G0(double x, double m) => x; [TerminalCost] public static double [|G1|](double x, double m) => m; }")]
    [InlineData("MF0203", "[[|MeanFieldGame|]] public partial struct G { " + Quadratic + " }")]
    [InlineData("MF0203", "[[|MeanFieldGame(Viscosity = -1)|]] public partial struct G { " + Quadratic + " }")]
    [InlineData("MF0203", "[[|MeanFieldGame(Viscosity = double.PositiveInfinity)|]] public partial struct G { " + Quadratic + " }")]
    [InlineData("MF0204", Game + " G { [Hamiltonian] public static double [|H|](double x, double p, double m) => -0.5 * p * p - Math.Log(m); }")]
    [InlineData("MF0204", Game + " G { [Hamiltonian] public static double [|H|](double x, double p, double m) => p * p * p * p - 3 * p * p; }")]
    [InlineData("MF0204", Game + " G { [Hamiltonian] public static double [|H|](double x, double p, double m) => Math.Sin(x) * p - m; }")]
    [InlineData("MF0204", Game + " G { [Hamiltonian] public static double [|H|](double x, double p, double m) => Math.Exp(p); }")]
    [InlineData("MF0204", Game + " G { [Hamiltonian] public static double [|H|](double x, double y, double px, double py, double m) => px * px + py * py + px * py; }")]
    [InlineData("MF0204", Game + " G { [Hamiltonian] public static double [|H|](double x, double p, double m) => (Math.Cos(2 * Math.PI * x) - 0.5) * p * p; }")]
    [InlineData("MF0206", "[[|MeanFieldGame(Viscosity = 0.5)|]] public partial struct G { " + VectorH + " }")]
    [InlineData("MF0206", "[[|MeanFieldGame(Viscosity = 0.5, Dimension = 65)|]] public partial struct G { " + VectorH + " }")]
    [InlineData("MF0206", "[[|MeanFieldGame(Viscosity = 0.5, Dimension = 2)|]] public partial struct G { " + Quadratic + " }")]
    [InlineData("MF0207", Game + " G { [Hamiltonian] public static double [|H|](double x, double p, double m, double mu) => p * p / 4 + x * mu * mu; }")]
    [InlineData("MF0207", Game + " G { [Hamiltonian] public static double [|H|](double x, double p, double m, double mu) => p * p / 4 + p * mu; }")]
    [InlineData("MF0207", Game + " G { [Lagrangian] public static double [|L|](double x, double v, double m, double mu) => v * v + m * mu; }")]
    [InlineData("MF0010", Game10 + " G { [Hamiltonian] public static double H(ReadOnlySpan<double> x, ReadOnlySpan<double> p, double m) => 0.5 * SquaredNorm(p) - [|x[10]|] - Math.Log(m); }")]
    [InlineData("MF0010", Game10 + " G { [Hamiltonian] public static double H(ReadOnlySpan<double> x, ReadOnlySpan<double> p, double m) => 0.5 * SquaredNorm(p) - Sum(x, [|xi => { double t = xi; return t; }|]) - Math.Log(m); }")]
    [InlineData("MF0010", "[MeanFieldNetwork] public partial struct M { [Unit] public static double U(double c, ReadOnlySpan<double> w, ReadOnlySpan<double> x) => c * [|Sum(w, x, (a, b) => a * b)|]; " + Cost + " }")]
    [InlineData("MF0011", Game10 + " G { [Hamiltonian] public static double H(ReadOnlySpan<double> x, ReadOnlySpan<double> p, double m) => 0.5 * SquaredNorm(p) - Sum(x, [|Other.F|]) - Math.Log(m); } public static class Other { public static double F(double z) => z; }")]
    [InlineData("MF0205", Game + " G { [Lagrangian] public static double [|L|](double x, double v, double m) => v * v * v * v; }")]
    [InlineData("MF0205", Game + " G { [Lagrangian] public static double [|L|](double x, double v, double m) => -v * v + m; }")]
    [InlineData("MF0205", Game + " G { [Lagrangian] public static double [|L|](double x, double y, double vx, double vy, double m) => vx * vx + vy * vy + vx * vy; }")]
    public void ReportsDiagnosticAtTheOffendingSpan(string id, string marked)
    {
        var (source, span) = GeneratorHarness.Marked(marked);
        var (result, _) = GeneratorHarness.Run(source);

        Assert.Null(result.Exception);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(span, diagnostic.Location.SourceSpan);
        Assert.Equal("Model0.cs", diagnostic.Location.SourceTree?.FilePath ?? diagnostic.Location.GetLineSpan().Path);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void ReportsEveryErrorOfAModelInOneCompile()
    {
        const string source = "[MeanFieldNetwork] public partial struct M { [Activation] public static double S(double z) => Math.Sinh(z) + Math.Cosh(z); [Cost] public static double L(double y, double p) => y % p; }";
        var (result, _) = GeneratorHarness.Run(source);

        Assert.Equal(new[] { "MF0010", "MF0012", "MF0012" }, result.Diagnostics.Select(d => d.Id).OrderBy(id => id));
    }

    [Fact]
    public void LagrangianSignatureMessageNamesTheVelocity()
    {
        var (result, _) = GeneratorHarness.Run(Game + " G { [Lagrangian] public static double L(double x, double v) => v * v; }");

        string message = Assert.Single(result.Diagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("ReadOnlySpan<double> v, double m", message, StringComparison.Ordinal);
        Assert.Contains("double vx, double vy", message, StringComparison.Ordinal);
    }

    [Fact]
    public void MessagesSayWhatToWriteInstead()
    {
        var (result, _) = GeneratorHarness.Run("[MeanFieldNetwork] public partial struct M { [Activation] public static double S(double z) => Math.Sinh(z); " + Cost + " }");

        string message = Assert.Single(result.Diagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("Math.Sinh is not supported", message, StringComparison.Ordinal);
        Assert.Contains("Exp, Log, Sqrt", message, StringComparison.Ordinal);
    }

    [Fact]
    public void GeneratorFailureBecomesMF0099()
    {
        using (TestHooks.FailParsing("Doomed"))
        {
            var (marked, span) = GeneratorHarness.Marked("[MeanFieldNetwork] public partial struct [|Doomed|] { " + Tanh + " " + Cost + " }");
            var (result, _) = GeneratorHarness.Run(marked);

            Assert.Null(result.Exception);
            var diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal("MF0099", diagnostic.Id);
            Assert.Equal(span, diagnostic.Location.SourceSpan);
            Assert.Contains("failure injected by a test", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryDescriptorIsTestedAndListedInTheReleaseFile()
    {
        string unshipped = File.ReadAllText(Path.Combine(GeneratorHarness.RepositoryRoot(), "src", "Generators", "AnalyzerReleases.Unshipped.md"));
        // Network diagnostics are listed in specs/networks.md, the interaction kind's (MF01xx) in specs/interactions.md,
        // the game kind's (MF02xx) in specs/mfg.md.
        string spec = File.ReadAllText(Path.Combine(GeneratorHarness.RepositoryRoot(), "specs", "networks.md"))
            + File.ReadAllText(Path.Combine(GeneratorHarness.RepositoryRoot(), "specs", "interactions.md"))
            + File.ReadAllText(Path.Combine(GeneratorHarness.RepositoryRoot(), "specs", "mfg.md"));
        var tested = typeof(DiagnosticTests).GetMethod(nameof(ReportsDiagnosticAtTheOffendingSpan))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).First()[0]).ToHashSet();
        tested.Add("MF0099");

        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            Assert.Contains(descriptor.Id, tested);
            Assert.Contains($"{descriptor.Id} | MeanField | Error | {descriptor.Title}", unshipped, StringComparison.Ordinal);
            Assert.Contains(descriptor.Id, spec, StringComparison.Ordinal);
        }
    }
}

using MeanField.Generators.Diagnostics;
using MeanField.Generators.Tests.Infrastructure;

namespace MeanField.Generators.Tests.Generator;

/// <summary>
/// Valid ways to write a model build and compile (parenthesised bodies, partial methods, generic helpers, verbatim
/// identifiers, readonly and record structs, names differing only in case); types the generated part cannot complete
/// get MF0019 at their name, and unsupported argument forms get an "unsupported" diagnostic, never MF0099.
/// </summary>
public sealed class ModelFormsTests
{
    private const string Tanh = "[Activation] public static double S(double z) => Math.Tanh(z);";
    private const string Cost = "[Cost] public static double Loss(double y, double p) => 0.5 * (p - y) * (p - y);";

    private static string Net(string members, string name = "Net", string keyword = "partial struct", string ns = "Demo")
        => $"namespace {ns}; [MeanFieldNetwork] public {keyword} {name} {{ {members} }}";

    public static TheoryData<string, string> ValidModels() => new()
    {
        { "parenthesised activation", Net("[Activation] public static double S(double z) => (z * z); " + Cost) },
        { "parenthesised return", Net("[Activation] public static double S(double z) { return (z + 1); } " + Cost) },
        { "doubly parenthesised", Net("[Activation] public static double S(double z) => ((Math.Tanh(z))); " + Cost) },
        { "parenthesised cost", Net(Tanh + " [Cost] public static double L(double y, double p) => (0.5 * (p - y) * (p - y));") },
        { "parenthesised helper", Net("static double H(double t) => (t * t); [Activation] public static double S(double z) => H(z) + 1; " + Cost) },
        { "parenthesised helper return", Net("static double H(double t) { return (t - 1); } [Activation] public static double S(double z) => H(z); " + Cost) },
        { "parenthesised unit", Net("[Unit] public static double U(double c, ReadOnlySpan<double> w, ReadOnlySpan<double> x) => (c * Math.Exp(-SquaredDistance(w, x))); " + Cost) },
        { "partial activation", Net("[Activation] public static partial double S(double z); public static partial double S(double z) => Math.Tanh(z); " + Cost) },
        { "partial activation, implementation first", Net("public static partial double S(double z) => Math.Atan(z); [Activation] public static partial double S(double z); " + Cost) },
        { "partial helper", Net("private static partial double H(double t); private static partial double H(double t) => t * t; [Activation] public static double S(double z) => H(z); " + Cost) },
        { "partial cost with other parameter names", Net(Tanh + " [Cost] public static partial double L(double y, double p); public static partial double L(double target, double prediction) => (prediction - target) * (prediction - target);") },
        { "generic helper", Net("static double G<T>(double x) => x * x; [Activation] public static double S(double z) => G<int>(z) + G<long>(z); " + Cost) },
        { "generic helper, inferred nothing", Net("static double G<T>(double x) => Math.Exp(-x); [Activation] public static double S(double z) => G<string>(z); " + Cost) },
        { "verbatim type", Net(Tanh + " " + Cost, name: "@class") },
        { "verbatim type and namespace", Net(Tanh + " " + Cost, name: "@struct", ns: "@namespace.@class") },
        { "contextual keyword type", Net(Tanh + " " + Cost, name: "@record", ns: "@var") },
        { "verbatim non-keyword", Net(Tanh + " " + Cost, name: "@Plain") },
        { "unicode type", Net(Tanh + " " + Cost, name: "Réseau", ns: "Modèles") },
        { "global namespace", "[MeanFieldNetwork] public partial struct Net { " + Tanh + " " + Cost + " }" },
        { "readonly struct", Net(Tanh + " " + Cost, keyword: "readonly partial struct") },
        { "record struct", Net(Tanh + " " + Cost, keyword: "partial record struct") },
        { "readonly record struct", Net(Tanh + " " + Cost, keyword: "readonly partial record struct") },
        { "record struct with a primary constructor", Net(Tanh + " " + Cost, name: "Net(int Width)", keyword: "partial record struct") },
        { "verbatim parameter names", Net("[Unit] public static double U(double @class, ReadOnlySpan<double> @struct, ReadOnlySpan<double> x) => @class * Math.Tanh(Dot(@struct, x)); " + Cost) },
        { "helper called with the same argument twice", Net("static double H(double t) => Math.Tanh(t) * t + t; [Activation] public static double S(double z) => H(H(z)) + H(H(z)); " + Cost) },
    };

    [Theory]
    [MemberData(nameof(ValidModels))]
    public void ValidModelBuildsAndCompiles(string label, string source)
    {
        var outcome = StackCheckedRun.Run(source).AssertBuilds(label);
        foreach (var generated in outcome.Result.GeneratedSources)
        {
            Assert.Matches("^[A-Za-z0-9_.-]+\\.g\\.cs$", generated.HintName);
        }
    }

    [Fact]
    public void ModelsDifferingOnlyInCaseAllGetCode()
    {
        var outcome = StackCheckedRun.Run(
            Net(Tanh + " " + Cost, name: "Net"),
            Net(Tanh + " " + Cost, name: "NET"),
            Net(Tanh + " " + Cost, name: "Other"),
            Net(Tanh + " " + Cost, name: "Net", ns: "demo")).AssertBuilds("Net, NET, Other, demo.Net");

        var hints = outcome.Result.GeneratedSources.Select(s => s.HintName).ToList();
        Assert.Equal(4, hints.Count);
        Assert.Equal(4, hints.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var type in new[] { "partial struct Net ", "partial struct NET ", "partial struct Other ", "namespace demo;" })
        {
            Assert.Contains(outcome.Result.GeneratedSources, s => s.SourceText.ToString().Contains(type, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void HintNamesAreStableAcrossRuns()
    {
        string[] sources = { Net(Tanh + " " + Cost, name: "NET"), Net(Tanh + " " + Cost, name: "Net") };
        var first = StackCheckedRun.Run(sources).Result.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())).ToList();
        var second = StackCheckedRun.Run(sources.Reverse().ToArray()).Result.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())).OrderBy(p => p.HintName, StringComparer.Ordinal).ToList();
        Assert.Equal(first.OrderBy(p => p.HintName, StringComparer.Ordinal), second);
    }

    public static TheoryData<string, string, string> UnsupportedTypes() => new()
    {
        { "ref struct", Net(Tanh + " " + Cost, keyword: "ref partial struct"), "ref struct" },
        { "readonly ref struct", Net(Tanh + " " + Cost, keyword: "readonly ref partial struct"), "ref struct" },
        { "named Formulas", Net(Tanh + " " + Cost, name: "Formulas"), "'Formulas'" },
        { "named Derivation", Net(Tanh + " " + Cost, name: "Derivation"), "'Derivation'" },
        { "named like a generated field", Net(Tanh + " " + Cost, name: "MeanFieldGeneratedLayout"), "'MeanFieldGeneratedLayout'" },
        { "named like a runtime type", Net(Tanh + " " + Cost, name: "NetworkLayout", ns: "MeanField"), "MeanField.NetworkLayout" },
        { "named like a runtime attribute", Net(Tanh + " " + Cost, name: "Channels", ns: "MeanField"), "MeanField.Channels" },
    };

    [Theory]
    [MemberData(nameof(UnsupportedTypes))]
    public void UnsupportedModelTypeGetsMF0019AtItsName(string label, string source, string reason)
    {
        var outcome = StackCheckedRun.Run(source).AssertSound(label);
        var diagnostic = outcome.Result.Diagnostics.Where(d => d.Id == "MF0019").ToList();
        Assert.True(diagnostic.Count == 1, $"{label}: expected one MF0019, got {outcome.Describe()}");
        Assert.DoesNotContain(outcome.Result.Diagnostics, d => d.Id != "MF0019");
        string name = outcome.TextAt(diagnostic[0])!;
        Assert.True(source.Contains("struct " + name + " ", StringComparison.Ordinal), $"{label}: MF0019 at '{name}', not the type's name");
        Assert.Contains(reason, diagnostic[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(outcome.Result.GeneratedSources);
    }

    public static TheoryData<string, string> UnsupportedForms() => new()
    {
        { "alias-qualified method group", Net("[Unit] public static double U(double c, ReadOnlySpan<double> w, ReadOnlySpan<double> x) => c * SquaredNorm::x; " + Cost) },
        { "method group argument", Net("static double Apply(Func<double, double> f, double t) => f(t); [Activation] public static double S(double z) => Apply(Math.Tanh, z); " + Cost) },
        { "method group as value", Net("[Activation] public static double S(double z) => Math.Tanh; " + Cost) },
        { "lambda argument", Net("static double Apply(Func<double, double> f, double t) => f(t); [Activation] public static double S(double z) => Apply(t => t, z); " + Cost) },
        { "channel of a method group", Net("[Unit] public static double U(double c, ReadOnlySpan<double> w, ReadOnlySpan<double> x) => c * SquaredNorm(SquaredNorm); " + Cost) },
        { "delegate invocation", Net("static readonly Func<double, double> F = Math.Tanh; [Activation] public static double S(double z) => F(z); " + Cost) },
        { "nameof", Net("[Activation] public static double S(double z) => nameof(z).Length; " + Cost) },
        { "default", Net("[Activation] public static double S(double z) => default; " + Cost) },
        { "throw", Net("[Activation] public static double S(double z) => throw new Exception(); " + Cost) },
        { "local function", Net("[Activation] public static double S(double z) { double F(double t) => t; return F(z); } " + Cost) },
        { "named arguments out of order", Net("static double H(double a, double b) => a - b; [Activation] public static double S(double z) => H(b: z, a: 1); " + Cost) },
        { "optional parameter", Net("static double H(double a, double b = 2) => a * b; [Activation] public static double S(double z) => H(z); " + Cost) },
        { "params helper", Net("static double H(params double[] a) => a[0]; [Activation] public static double S(double z) => H(z, z); " + Cost) },
        { "ref helper", Net("static double H(ref double a) => a; [Activation] public static double S(double z) => H(ref z); " + Cost) },
        { "generic helper over T", Net("static T G<T>(T x) => x; [Activation] public static double S(double z) => G(z); " + Cost) },
        { "instance helper", Net("double H(double t) => t; [Activation] public static double S(double z) => new Net().H(z); " + Cost) },
        { "checked", Net("[Activation] public static double S(double z) => checked(z + 1); " + Cost) },
    };

    [Theory]
    [MemberData(nameof(UnsupportedForms))]
    public void UnsupportedFormIsDiagnosedNotCrashed(string label, string source)
    {
        var outcome = StackCheckedRun.Run(source).AssertSound(label);
        Assert.True(outcome.Result.GeneratedSources.Length == 0 || outcome.Result.Diagnostics.Length == 0, $"{label}: code generated despite {outcome.Describe()}");
        Assert.True(outcome.InputErrors.Length > 0 || outcome.Result.Diagnostics.Length > 0 || outcome.Result.GeneratedSources.Length > 0, $"{label}: neither code nor a diagnostic");
    }

    [Fact]
    public void AliasQualifiedMethodGroupGetsMF0010()
    {
        var (source, span) = GeneratorHarness.Marked(Net("[Unit] public static double U(double c, ReadOnlySpan<double> w, ReadOnlySpan<double> x) => c * [|SquaredNorm::x|]; " + Cost));
        var outcome = StackCheckedRun.Run(source).AssertSound("SquaredNorm::x");
        var diagnostic = Assert.Single(outcome.Result.Diagnostics);
        Assert.Equal("MF0010", diagnostic.Id);
        Assert.Equal(span, diagnostic.Location.SourceSpan);
    }

    [Fact]
    public void GenericHelperCalledTwiceReportsItsProblemOnce()
    {
        string source = Net("static double G<T>(double x) => x % 2; [Activation] public static double S(double z) => G<int>(z) + G<long>(z); " + Cost);
        var outcome = StackCheckedRun.Run(source).AssertSound("generic helper with % called twice");

        var diagnostic = Assert.Single(outcome.Result.Diagnostics);
        Assert.Equal("MF0010", diagnostic.Id);
        Assert.Equal("x % 2", outcome.TextAt(diagnostic));
    }

    [Fact]
    public void EachDiagnosticIsReportedOncePerSpan()
    {
        // Every helper below is called from several places with several arguments; its error is in one place.
        string source = Net(
            "static double A(double t) => Math.Sinh(t); static double B(double t) => A(t) + A(2 * t) + A(t); "
            + "[Activation] public static double S(double z) => B(z) * B(z + 1) - A(z); " + Cost);
        var outcome = StackCheckedRun.Run(source).AssertSound("helpers with an error, called many times");

        var keys = outcome.Result.Diagnostics.Select(d => (d.Id, d.Location.GetLineSpan().ToString(), d.GetMessage(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.NotEmpty(keys);
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal("Math.Sinh(t)", outcome.TextAt(Assert.Single(outcome.Result.Diagnostics)));
    }

    [Fact]
    public void HelpersComposedSixDeepParseInLinearTime()
    {
        // H_6 applies H0 64 times (128 levels of value, within the limit). Without the inline cache the parse is
        // exponential in k; this test runs the front end alone (emitting is stopped on purpose, as MF0099; the whole
        // run is PathologicalModelTests' H6). The 60 s bound is a runaway guard, not a speed claim (the benchmark
        // suite's GeneratorBenchmarks.Pathological tracks the speed).
        var helpers = new System.Text.StringBuilder("static double H0(double t) => Math.Tanh(t) + t; ");
        for (int k = 1; k <= 6; k++)
        {
            helpers.Append($"static double H{k}(double t) => H{k - 1}(H{k - 1}(t)); ");
        }

        using (TestHooks.FailEmitting("ComposedSix", static () => new InvalidOperationException("emit skipped by a test")))
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var (result, _) = GeneratorHarness.Run(Net(helpers + "[Activation] public static double S(double z) => H6(z); " + Cost, name: "ComposedSix"));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"H6 ran away ({watch.Elapsed})");
            Assert.Contains("emit skipped by a test", Assert.Single(result.Diagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            Assert.Single(result.TrackedSteps[MeanFieldGenerator.NetworkSteps.Specs].SelectMany(s => s.Outputs));
        }
    }

    [Fact]
    public void HelpersComposedDeepStayFast()
    {
        // H_k(t) = H_{k-1}(H_{k-1}(t)): without the inline cache, the parse is exponential in k. 60 s: a runaway guard.
        var helpers = new System.Text.StringBuilder("static double H0(double t) => Math.Tanh(t) * t + t; ");
        for (int k = 1; k <= 12; k++)
        {
            helpers.Append($"static double H{k}(double t) => H{k - 1}(H{k - 1}(t)); ");
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var outcome = StackCheckedRun.Run(Net(helpers + "[Activation] public static double S(double z) => H12(z) - H12(z); " + Cost)).AssertSound("H12");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"H12 ran away ({watch.Elapsed})");
        Assert.DoesNotContain(outcome.Result.Diagnostics, d => d.Id != "MF0018");
    }
}

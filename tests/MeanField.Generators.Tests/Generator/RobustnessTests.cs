using System.Text;
using MeanField.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MeanField.Generators.Tests.Generator;

/// <summary>
/// The generator sees half-typed code in the IDE all the time, and pathological code from users who try. Whatever
/// the source, run as a compiler runs it (in-process, on a 1 MB stack): no exception escapes, no MF0099 (an internal
/// failure) is reported, every diagnostic is located in the source, and where the input compiles and the generator
/// reports nothing, the generated code compiles.
/// </summary>
public sealed class RobustnessTests
{
    private static readonly string[] Tokens =
    {
        "(", ")", "w", "x", "c", "s", "z", "+", "*", "/", "-", "Math.", "Math.Abs(", "Math.Exp(-", ";", "{", "}", "=>", "?", ":", "0", "1.5", ",", "static ", "double ",
        "[Unit]", "[Activation]", "[Cost]", "[Regularizer]", "Dot(", "SquaredNorm(", "SquaredNorm::", "\"", "int ", "w[0]", "ref ", "readonly ", "record ", "partial ",
        "@", "@class", "<int>", "Formulas", "Derivation", "NET", "return ", "(z * z)", "(", "-(", "z > 0 ? ", " : ", "H(", "private ", "new ",
    };

    /// <summary>Seeded random edits of the shipped models: 2,000 rounds, all on one 1 MB thread, as a compiler runs them.</summary>
    [Fact]
    public void RandomlyMutatedModelsNeverCrashTheGenerator()
        => Mutate(new[] { "GaussianBumpNetwork", "FourierNetwork", "TanhNetwork" }, Tokens, rounds: 2000, seed: 2024);

    private static readonly string[] InteractionTokens = Tokens.Concat(new[]
    {
        "[Kernel]", "[Potential]", "[Confinement]", "[InteractionEnergy]", "[MeanFieldNetwork]", "SquaredDistance(", "w2", "c2", "z2",
        "Math.Acos(", "Math.Sqrt(", "ReadOnlySpan<double> ", "Dot(w, w2)", "SquaredDistance(z, w2)", "double c3, ",
    }).ToArray();

    /// <summary>Seeded random edits of the shipped interaction models, with interaction tokens: 600 rounds, as above.</summary>
    [Fact]
    public void RandomlyMutatedInteractionModelsNeverCrashTheGenerator()
        => Mutate(new[] { "ArcCosineKernel", "GaussianFeatures" }, InteractionTokens, rounds: 600, seed: 2026);

    private static void Mutate(string[] models, string[] tokens, int rounds, int seed)
    {
        string root = GeneratorHarness.RepositoryRoot();
        var sources = models.Select(m => File.ReadAllText(Path.Combine(root, "src", "Models", m + ".cs"))).ToArray();
        int generated = 0, diagnosed = 0, compiled = 0;
        var failures = new List<string>();

        var thread = new Thread(
            () =>
            {
                // One compilation and one driver per shipped model, edited round after round as in an IDE: the driver
                // reuses what an edit did not change (a mutation in a comment re-emits nothing), which keeps 2,000 rounds fast.
                var compilations = sources.Select(source => (Compilation)GeneratorHarness.CreateCompilation(source)).ToArray();
                var drivers = sources.Select(_ => GeneratorHarness.CreateDriver()).ToArray();
                var random = new Random(seed);
                for (int round = 0; round < rounds && failures.Count < 5; round++)
                {
                    int model = round % sources.Length;
                    string source = sources[model];
                    for (int edit = 0; edit < 1 + random.Next(3); edit++)
                    {
                        int at = random.Next(source.Length);
                        source = random.Next(2) == 0
                            ? source.Remove(at, Math.Min(1 + random.Next(8), source.Length - at))
                            : source.Insert(at, tokens[random.Next(tokens.Length)]);
                    }

                    try
                    {
                        var previous = compilations[model].SyntaxTrees.Single(t => t.FilePath == "Model0.cs");
                        var input = compilations[model].ReplaceSyntaxTree(previous, CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, "Model0.cs"));
                        compilations[model] = input;
                        drivers[model] = drivers[model].RunGeneratorsAndUpdateCompilation(input, out var output, out _);
                        var result = drivers[model].GetRunResult().Results.Single();
                        string? problem = Problem(result, source);
                        if (problem is null && result.Diagnostics.Length == 0 && result.GeneratedSources.Length > 0 && round % 10 == 0
                            && !input.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
                        {
                            // Compiling is the slow part: valid rounds whose number ends in 0.
                            var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                            problem = errors.Count == 0 ? null : "the generated code does not compile: " + errors[0];
                            compiled++;
                        }

                        if (problem is not null)
                        {
                            failures.Add($"round {round}: {problem}\n{source}");
                        }

                        generated += result.GeneratedSources.Length;
                        diagnosed += result.Diagnostics.Length > 0 ? 1 : 0;
                    }
                    catch (Exception exception)
                    {
                        failures.Add($"round {round}: {exception}\n{source}");
                    }
                }
            },
            StackCheckedRun.CompilerStack);
        thread.Start();
        thread.Join();

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));

        // The mutations must exercise both paths: some models still generate, some are diagnosed.
        Assert.True(generated > 0, "no mutated model generated code");
        Assert.True(diagnosed > 0, "no mutated model was diagnosed");
        Assert.True(compiled > 0, "no generated file was compiled");
    }

    /// <summary>What is wrong with one run, or null.</summary>
    private static string? Problem(GeneratorRunResult result, string source)
    {
        if (result.Exception is not null)
        {
            return "the generator threw " + result.Exception;
        }

        foreach (var diagnostic in result.Diagnostics)
        {
            if (diagnostic.Id == "MF0099")
            {
                return "MF0099: " + diagnostic;
            }

            var span = diagnostic.Location.SourceSpan;
            if (diagnostic.Location == Location.None || diagnostic.Location.GetLineSpan().Path != "Model0.cs" || span.End > source.Length)
            {
                return diagnostic.Id + " is not located in the source: " + diagnostic;
            }
        }

        return null;
    }

    /// <summary>Hand-made deep and pathological models, each run on a 1 MB stack (<see cref="StackCheckedRun"/>).</summary>
    public static TheoryData<string, string> Pathological()
    {
        var cases = new TheoryData<string, string>();
        void Add(string label, string body, string helpers = "") => cases.Add(label, DepthLimitTests.Model(body, helpers));

        foreach (int depth in new[] { 200, 255, 256, 257, 300, 1000 })
        {
            Add($"{depth} nested sums", DepthLimitTests.Nest(depth, "(z + ", ")"));
            Add($"{depth} nested Abs", DepthLimitTests.Nest(depth, "Math.Abs(", ")"));
            Add($"{depth} nested Exp(-…)", DepthLimitTests.Nest(depth, "Math.Exp(-", ")"));
            Add($"{depth} unary minus", DepthLimitTests.Nest(depth, "-(", ")"));
            Add($"{depth} nested ?:", DepthLimitTests.Nest(depth, "z > 0 ? 1 + ", " : z"));
            Add($"{depth} nested Pow", DepthLimitTests.Nest(depth, "Math.Pow(", ", 1.0)"));
            Add($"{depth} nested Max", DepthLimitTests.Nest(depth, "Math.Max(z, ", ")"));
            Add($"{depth} nested division", DepthLimitTests.Nest(depth, "1 / (1 + ", ")"));
        }

        foreach (int operands in new[] { 32, 33, 64, 600, 2000 })
        {
            Add($"{operands}-term sum", DepthLimitTests.Chain(operands, " + "));
            Add($"{operands}-factor product", DepthLimitTests.Chain(operands, " * "));
            Add($"{operands} alternating − and +", "z" + string.Concat(Enumerable.Range(1, operands - 1).Select(k => k % 3 == 0 ? " + z" : " - 1")));
            Add($"{operands} alternating ÷ and *", "z" + string.Concat(Enumerable.Range(1, operands - 1).Select(k => k % 2 == 0 ? " * z" : " / 2")));
        }

        Add("600-term sum of nested calls", string.Join(" + ", Enumerable.Range(0, 600).Select(k => DepthLimitTests.Nest(k % 5, "Math.Abs(", ")"))));
        Add("sum of 100 deep products", string.Join(" + ", Enumerable.Range(0, 100).Select(_ => DepthLimitTests.Nest(200, "(z * ", ")"))));
        Add("long chain inside deep nesting", DepthLimitTests.Nest(250, "Math.Abs(", ")", DepthLimitTests.Chain(100, " + ")));
        Add("deep nesting inside a long chain", DepthLimitTests.Chain(100, " + ") + " + " + DepthLimitTests.Nest(300, "-(", ")"));

        foreach (int n in new[] { 100, 127, 128, 129, 300 })
        {
            Add($"helper chain of {n}", $"H{n - 1}(z)", DepthLimitTests.HelperChain(n));
        }

        Add("helper chain inside deep nesting", DepthLimitTests.Nest(200, "Math.Abs(", ")", "H99(z)"), DepthLimitTests.HelperChain(100));
        var composed = new StringBuilder("static double R0(double t) => t + Math.Tanh(t); ");
        for (int k = 1; k <= 20; k++)
        {
            composed.Append($"static double R{k}(double t) => R{k - 1}(R{k - 1}(t)); ");
        }

        Add("residual block composed 20 deep", "R20(z)", composed.ToString());
        Add("mutually recursive helpers", "A(z)", "static double A(double t) => B(t) + 1; static double B(double t) => A(t) * 2;");
        Add("self-recursive deep helper", "F(z)", "static double F(double t) => " + DepthLimitTests.Nest(300, "Math.Abs(", ")", "F(t)") + ";");
        Add("deep body in an unused helper", "Math.Tanh(z)", "static double U(double t) => " + DepthLimitTests.Nest(1000, "-(", ")", "t") + ";");
        Add("deep argument to a helper", "H(" + DepthLimitTests.Nest(300, "Math.Abs(", ")") + ")", "static double H(double t) => t * t;");
        Add("alias-qualified name", "SquaredNorm::z + z");
        Add("global-qualified Math", "global::System.Math.Tanh(z)");
        Add("string literal", "\"z\".Length");
        Add("huge constant", "1e308 * z * 1e308");
        Add("NaN constant", "double.NaN * z");
        Add("long identifier chain", string.Join(" + ", Enumerable.Repeat("Math.PI", 500)) + " * z");
        Add("deep conditional condition", "(" + DepthLimitTests.Nest(300, "Math.Abs(", ")") + ") > 0 ? z : -z");
        return cases;
    }

    [Theory]
    [MemberData(nameof(Pathological))]
    public void PathologicalModelNeverCrashesTheGenerator(string label, string source)
    {
        var outcome = StackCheckedRun.Run(source).AssertSound(label);
        Assert.True(outcome.Result.GeneratedSources.Length > 0 || outcome.Result.Diagnostics.Length > 0 || outcome.InputErrors.Length > 0, $"{label}: neither code nor a diagnostic");
    }
}

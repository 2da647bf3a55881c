using System.Reflection;
using BenchmarkDotNet.Attributes;
using MeanField.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MeanField.Benchmarks;

/// <summary>
/// The generator's own cost. It runs inside the compiler on every build and, in an IDE, after edits, so its time is
/// compile-time and typing latency for every user. The compilation holds the four models of src/Models (their sources
/// are embedded in this assembly) and one unrelated file:
/// <list type="bullet">
/// <item><see cref="FullRun"/>: a cold driver parses, differentiates and emits all four models (a clean build);</item>
/// <item><see cref="UnrelatedEdit"/>: a warm driver after an edit to the unrelated file, which must reuse every cached
/// step (an IDE keystroke outside a model);</item>
/// <item><see cref="ModelEdit"/>: a warm driver after an edit to one model's activation, which re-derives and re-emits
/// that model only (an IDE keystroke inside a model);</item>
/// <item><see cref="Pathological"/>: a cold driver on one model of a shape that once blew up exponentially or crashed
/// the compiler (issue 7): helpers composed deeply (T12, Q16, R20, H6), 250 nested tanh, a 600-term sum. Generation
/// must stay linear in the expression's DAG size. (H8 and 1,500 nested tanh are past the front end's 256-level limit:
/// they get MF0018; their symbolic cost is measured by LargeModelEmitTests.)</item>
/// </list>
/// </summary>
public class GeneratorBenchmarks
{
    private const string UnrelatedPath = "Unrelated.cs";
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private CSharpCompilation _compilation = null!;
    private CSharpCompilation[] _unrelatedEdits = [];
    private CSharpCompilation[] _modelEdits = [];
    private GeneratorDriver _unrelatedDriver = null!;
    private GeneratorDriver _modelDriver = null!;
    private int _unrelatedCount;
    private int _modelCount;
    private Dictionary<string, CSharpCompilation> _pathological = [];

    /// <summary>The pathological shapes, by name (the arguments of <see cref="Pathological"/>).</summary>
    public static IEnumerable<string> PathologicalShapes => PathologicalSources.Keys;

    /// <summary>The compilation every benchmark starts from (four models, one unrelated file).</summary>
    public Compilation Compilation => _compilation;

    /// <summary>Record each incremental step's reason (for tests); off when measuring, as in the compiler.</summary>
    public bool TrackSteps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var trees = ModelSources().Select(source => CSharpSyntaxTree.ParseText(source.Text, ParseOptions, source.Path)).ToList();
        trees.Add(CSharpSyntaxTree.ParseText(Unrelated(0), ParseOptions, UnrelatedPath));
        trees.Add(CSharpSyntaxTree.ParseText("global using System;\nglobal using static MeanField.Channels;\n", ParseOptions, "GlobalUsings.cs"));
        _compilation = CSharpCompilation.Create(
            "MeanField.GeneratorBenchmark", trees, References(), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        var unrelated = _compilation.SyntaxTrees.Single(t => t.FilePath == UnrelatedPath);
        _unrelatedEdits = [.. Enumerable.Range(1, 2).Select(k => _compilation.ReplaceSyntaxTree(unrelated, CSharpSyntaxTree.ParseText(Unrelated(k), ParseOptions, UnrelatedPath)))];

        var tanh = _compilation.SyntaxTrees.Single(t => t.FilePath.EndsWith("TanhNetwork.cs", StringComparison.Ordinal));
        string tanhText = tanh.ToString();
        string atanText = tanhText.Replace("Math.Tanh(z)", "Math.Atan(z)", StringComparison.Ordinal);
        if (atanText == tanhText)
        {
            throw new InvalidOperationException("TanhNetwork.cs no longer contains 'Math.Tanh(z)'; update ModelEdit.");
        }

        _modelEdits = [.. new[] { atanText, tanhText }.Select(text => _compilation.ReplaceSyntaxTree(tanh, CSharpSyntaxTree.ParseText(text, ParseOptions, tanh.FilePath)))];
        var globalUsings = CSharpSyntaxTree.ParseText("global using System;\nglobal using MeanField;\n", ParseOptions, "GlobalUsings.cs");
        _pathological = PathologicalSources.ToDictionary(
            p => p.Key,
            p => CSharpCompilation.Create(
                "MeanField.GeneratorBenchmark." + p.Key,
                [globalUsings, CSharpSyntaxTree.ParseText(p.Value, ParseOptions, p.Key + ".cs")],
                References(),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)));
        _unrelatedDriver = CreateDriver().RunGenerators(_compilation);
        _modelDriver = CreateDriver().RunGenerators(_compilation);
        WarmUp(WarmUpTime);
    }

    /// <summary>How long <see cref="Setup"/> runs the three operations before measuring (tests set it to zero).</summary>
    public TimeSpan WarmUpTime { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>
    /// Roslyn is large and ships precompiled (ReadyToRun); its hot paths reach the JIT's optimised tier only after
    /// seconds of use, far longer than the tracking job's warm-up (measured: UnrelatedEdit fell from 2.3 ms to 1.0 ms
    /// over its ten measured iterations, and to 0.36 ms in a longer run). The compiler server, where the generator
    /// really runs, is long-lived and warm, so that steady state is what is measured.
    /// </summary>
    private void WarmUp(TimeSpan time)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < time)
        {
            FullRun();
            UnrelatedEdit();
            ModelEdit();
        }
    }

    [Benchmark]
    public GeneratorDriver FullRun() => CreateDriver().RunGenerators(_compilation);

    [Benchmark]
    public GeneratorDriver UnrelatedEdit()
        => _unrelatedDriver = _unrelatedDriver.RunGenerators(_unrelatedEdits[_unrelatedCount++ & 1]);

    [Benchmark]
    public GeneratorDriver ModelEdit()
        => _modelDriver = _modelDriver.RunGenerators(_modelEdits[_modelCount++ & 1]);

    /// <summary>A cold driver on one pathological model (see the class summary).</summary>
    /// <param name="shape">One of <see cref="PathologicalShapes"/>.</param>
    /// <returns>The driver after the run.</returns>
    [Benchmark]
    [ArgumentsSource(nameof(PathologicalShapes))]
    public GeneratorDriver Pathological(string shape) => CreateDriver().RunGenerators(_pathological[shape]);

    private static readonly Dictionary<string, string> PathologicalSources = new()
    {
        ["T12"] = PathologicalModels.Model("T12", PathologicalModels.Nest("T", 12), PathologicalModels.THelper),
        ["Q16"] = PathologicalModels.Model("Q16", PathologicalModels.Nest("Q", 16), PathologicalModels.QHelper),
        ["R20"] = PathologicalModels.Model("R20", PathologicalModels.Nest("R", 20), PathologicalModels.RHelper),
        ["H6"] = PathologicalModels.Model("H6", "H6(z)", PathologicalModels.Doubling(6)),
        ["Tanh250"] = PathologicalModels.Model("Tanh250", PathologicalModels.Nest("Math.Tanh", 250), ""),
        ["Sum600"] = PathologicalModels.Model("Sum600", PathologicalModels.Sum(600), ""),
    };

    private GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new MeanFieldGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: TrackSteps));

    private static string Unrelated(int version)
        => $"namespace Demo;\npublic static class Unrelated\n{{\n    public static int Version => {version};\n}}\n";

    /// <summary>Four networks of src/Models (Fourier, GaussianBump, Relu, Tanh), embedded at build time (MeanField.Benchmarks.csproj; a fixed set, so the tracked times stay comparable).</summary>
    private static IEnumerable<(string Path, string Text)> ModelSources()
    {
        var assembly = typeof(GeneratorBenchmarks).Assembly;
        var names = assembly.GetManifestResourceNames().Where(n => n.StartsWith("ModelSources/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            throw new InvalidOperationException("No embedded model sources (ModelSources/*.cs) in " + assembly.GetName().Name);
        }

        foreach (string name in names)
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            yield return (name, reader.ReadToEnd());
        }
    }

    private static MetadataReference[] References()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToList();
        string runtime = typeof(INetworkModel<>).Assembly.Location;
        if (!paths.Contains(runtime))
        {
            paths.Add(runtime);
        }

        return [.. paths.Where(p => p.EndsWith(".dll", StringComparison.Ordinal)).Select(p => MetadataReference.CreateFromFile(p))];
    }
}

using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using MeanField.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace MeanField.Generators.Tests.Infrastructure;

/// <summary>Runs <see cref="MeanFieldGenerator"/> over in-memory sources, the way the compiler does.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        // The running test host's assemblies: the BCL plus MeanField.Runtime (referenced by this project).
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = paths.Where(p => p.EndsWith(".dll", StringComparison.Ordinal)).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
        string runtime = typeof(INetworkModel<>).Assembly.Location;
        if (!paths.Contains(runtime))
        {
            references.Add(MetadataReference.CreateFromFile(runtime));
        }

        return references.ToArray();
    });

    /// <summary>Usings every test source gets, as a user project with ImplicitUsings would.</summary>
    public const string Prelude = "global using System;\nglobal using MeanField;\nglobal using static MeanField.Channels;\n";

    public static CSharpCompilation CreateCompilation(params string[] sources)
    {
        var trees = new List<SyntaxTree> { CSharpSyntaxTree.ParseText(Prelude, ParseOptions, "Prelude.cs") };
        for (int i = 0; i < sources.Length; i++)
        {
            trees.Add(CSharpSyntaxTree.ParseText(sources[i], ParseOptions, $"Model{i}.cs"));
        }

        return CSharpCompilation.Create(
            "MeanField.TestModels",
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
    }

    /// <summary>A driver for <see cref="MeanFieldGenerator"/>; <paramref name="buildProperties"/> are the project's
    /// MSBuild properties the generator sees (build_property.NAME), as CompilerVisibleProperty makes them.</summary>
    public static GeneratorDriver CreateDriver(IReadOnlyDictionary<string, string>? buildProperties = null) => CSharpGeneratorDriver.Create(
        new[] { new MeanFieldGenerator().AsSourceGenerator() },
        parseOptions: ParseOptions,
        optionsProvider: buildProperties is null ? null : BuildProperties(buildProperties),
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator; returns its result and the compilation with the generated files added.</summary>
    public static (GeneratorRunResult Result, Compilation Output) Run(params string[] sources) => Run(null, sources);

    /// <inheritdoc cref="Run(string[])"/>
    public static (GeneratorRunResult Result, Compilation Output) Run(IReadOnlyDictionary<string, string>? buildProperties, params string[] sources)
    {
        var compilation = CreateCompilation(sources);
        var driver = CreateDriver(buildProperties).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return (driver.GetRunResult().Results.Single(), output);
    }

    /// <summary>Global analyzer-config options holding build_property.NAME = value, as MSBuild writes them.</summary>
    public static Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider BuildProperties(IReadOnlyDictionary<string, string> properties)
        => new BuildPropertiesProvider(properties);

    private sealed class BuildPropertiesProvider(IReadOnlyDictionary<string, string> properties) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider
    {
        private readonly Options global = new(properties.ToDictionary(p => "build_property." + p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase));

        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GlobalOptions => global;

        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        private sealed class Options(Dictionary<string, string> values) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions
        {
            public static readonly Options Empty = new(new Dictionary<string, string>());

            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }

    /// <summary>Errors of the compilation that includes the generated code (generator diagnostics excluded).</summary>
    public static ImmutableArray<Diagnostic> CompilationErrors(Compilation output)
        => output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();

    /// <summary>Source with one span marked <c>[|...|]</c>: returns the clean text and the marked span.</summary>
    public static (string Source, TextSpan Span) Marked(string marked)
    {
        int start = marked.IndexOf("[|", StringComparison.Ordinal);
        int end = marked.IndexOf("|]", StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new ArgumentException("The source has no [|...|] marker.", nameof(marked));
        }

        string source = marked.Remove(end, 2).Remove(start, 2);
        return (source, TextSpan.FromBounds(start, end - 2));
    }

    /// <summary>The repository root (the folder holding MeanField.sln).</summary>
    public static string RepositoryRoot([CallerFilePath] string path = "")
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(path)!);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MeanField.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("MeanField.sln not found above " + path);
    }
}

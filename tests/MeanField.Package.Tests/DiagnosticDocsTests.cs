using System.Collections.Immutable;
using System.Text.RegularExpressions;
using MeanField.Generators;
using MeanField.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using MeanField.Package.Tests.Infrastructure;

namespace MeanField.Package.Tests;

/// <summary>
/// Every diagnostic has a page docs/diagnostics/{ID}.md, linked from its descriptor's help link, that names the ID
/// and title; the page's first C# example reports that ID and its second ("what to write instead") compiles cleanly.
/// </summary>
public sealed partial class DiagnosticDocsTests
{
    public static TheoryData<string> Ids() => [.. DiagnosticDescriptors.All.Select(d => d.Id)];

    [Theory]
    [MemberData(nameof(Ids))]
    public void HelpLinkPointsAtAnExistingPageThatNamesTheDiagnostic(string id)
    {
        var descriptor = DiagnosticDescriptors.ById(id);
        Assert.EndsWith($"docs/diagnostics/{id}.md", descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.StartsWith(GeneratorInfo.HelpLinkBase, descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.True(Uri.IsWellFormedUriString(descriptor.HelpLinkUri, UriKind.Absolute), descriptor.HelpLinkUri);

        string page = Repository.PathOf($"docs/diagnostics/{id}.md");
        Assert.True(File.Exists(page), $"{id} has no page {page}.");
        string text = File.ReadAllText(page);
        string title = descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith($"# {id}: {title}", text, StringComparison.Ordinal);
        Assert.Contains("## What triggers it", text, StringComparison.Ordinal);
        Assert.Contains("## What to write instead", text, StringComparison.Ordinal);
        Assert.Contains($"[{id}]({id}.md)", File.ReadAllText(Repository.PathOf("docs/diagnostics/README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryPageBelongsToADescriptor()
    {
        var ids = DiagnosticDescriptors.All.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var pages = Directory.GetFiles(Repository.PathOf("docs/diagnostics"), "MF*.md").Select(Path.GetFileNameWithoutExtension);
        Assert.All(pages, p => Assert.Contains(p!, ids));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void PageExamplesReportTheIdAndTheFixCompiles(string id)
    {
        var blocks = GettingStartedGuideTests.Blocks(File.ReadAllText(Repository.PathOf($"docs/diagnostics/{id}.md")))
            .Where(b => b.Info == "csharp").Select(b => b.Body).ToList();
        if (id == "MF0099")
        {
            return;   // a generator bug has no example source
        }

        Assert.True(blocks.Count == 2, $"{id}.md should have two C# blocks (the example and the fix); it has {blocks.Count}.");
        var example = Run(blocks[0]);
        Assert.True(example.Generator.Any(d => d.Id == id), $"{id}.md's example reports [{string.Join(", ", example.Generator.Select(d => d.Id))}], not {id}.");

        var fix = Run(blocks[1]);
        Assert.True(fix.Generator.IsEmpty && fix.Errors.IsEmpty, $"{id}.md's fix does not compile cleanly:\n{string.Join("\n", fix.Generator.Concat(fix.Errors))}");
    }

    private static (ImmutableArray<Diagnostic> Generator, ImmutableArray<Diagnostic> Errors) Run(string source)
    {
        // As in a project with ImplicitUsings and the package's global 'using static MeanField.Channels'.
        const string prelude = "global using System;\nglobal using static MeanField.Channels;\n";
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "DocExample",
            [CSharpSyntaxTree.ParseText(prelude, parse), CSharpSyntaxTree.ParseText(source, parse)],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var driver = CSharpGeneratorDriver.Create([new MeanFieldGenerator().AsSourceGenerator()], parseOptions: parse)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return (generatorDiagnostics, output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray());
    }

    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToList();
        string runtime = typeof(INetworkModel<>).Assembly.Location;
        if (!paths.Contains(runtime))
        {
            paths.Add(runtime);
        }

        return [.. paths.Where(p => p.EndsWith(".dll", StringComparison.Ordinal)).Select(p => MetadataReference.CreateFromFile(p))];
    });
}

/// <summary>The [GeneratedCode] version is generated from $(Version) (obj/.../GeneratorInfo.g.cs): it is the package version.</summary>
public sealed class GeneratorInfoTests
{
    [Fact]
    public void GeneratorVersionIsThePackageVersion() => Assert.Equal(GeneratorInfo.Version, Repository.Version);

    [Fact]
    public void HelpLinksAreUnderTheRepositoryDocs() => Assert.EndsWith("/docs/diagnostics/", GeneratorInfo.HelpLinkBase, StringComparison.Ordinal);
}

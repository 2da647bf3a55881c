using MeanField.Generators.Diagnostics;
using MeanField.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MeanField.Generators.Tests.Generator;

/// <summary>
/// A diagnostic's help link follows the project's MeanFieldDiagnosticsDocs property (HelpLinks.cs): an absolute
/// folder gives the file: URI of that folder's page, an http(s) base gives base + ID + ".md", and anything else the
/// web base compiled into the generator. The package and this repository set the property to their pages.
/// </summary>
public sealed class HelpLinkTests
{
    // MF0012 (unsupported Math function) from the parser, the most common diagnostic a user meets.
    private const string Model = "[MeanFieldNetwork] public partial struct M { [Activation] public static double S(double z) => Math.Sinh(z); [Cost] public static double L(double y, double p) => 0.5 * (p - y) * (p - y); }";

    private static Diagnostic Reported(string? docs)
    {
        var properties = docs is null ? null : new Dictionary<string, string> { ["MeanFieldDiagnosticsDocs"] = docs };
        var (result, _) = GeneratorHarness.Run(properties, Model);
        Assert.Null(result.Exception);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("MF0012", diagnostic.Id);
        return diagnostic;
    }

    [Fact]
    public void RepositoryFolderGivesTheFileUriOfAnExistingPage()
    {
        string folder = Path.Combine(GeneratorHarness.RepositoryRoot(), "docs", "diagnostics") + Path.DirectorySeparatorChar;
        string link = Reported(folder).Descriptor.HelpLinkUri;

        var uri = new Uri(link);
        Assert.True(uri.IsFile, link);
        Assert.Equal(Path.Combine(folder, "MF0012.md"), uri.LocalPath);
        Assert.StartsWith("# MF0012: ", File.ReadAllText(uri.LocalPath), StringComparison.Ordinal);
    }

    [Fact]
    public void FolderWithoutTrailingSeparatorOrWithSpacesStillNamesThePage()
    {
        string folder = Path.Combine(Path.GetTempPath(), "mean field docs");
        var uri = new Uri(Reported(folder).Descriptor.HelpLinkUri);

        Assert.Equal(Path.Combine(folder, "MF0012.md"), uri.LocalPath);
        Assert.Contains("mean%20field%20docs/MF0012.md", uri.AbsoluteUri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://docs.example.org/meanfield/diagnostics/")]
    [InlineData("https://docs.example.org/meanfield/diagnostics")]
    public void WebBaseGivesBasePlusId(string baseUrl)
        => Assert.Equal("https://docs.example.org/meanfield/diagnostics/MF0012.md", Reported(baseUrl).Descriptor.HelpLinkUri);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("docs/diagnostics")]
    public void UnsetEmptyOrRelativeFallsBackToTheCompiledInBase(string? docs)
        => Assert.Equal(GeneratorInfo.HelpLinkBase + "MF0012.md", Reported(docs).Descriptor.HelpLinkUri);

    [Fact]
    public void OnlyTheHelpLinkChanges()
    {
        var linked = Reported("https://docs.example.org/d/").Descriptor;
        var original = DiagnosticDescriptors.ById("MF0012");

        Assert.Equal(original.Id, linked.Id);
        Assert.Equal(original.Title, linked.Title);
        Assert.Equal(original.MessageFormat, linked.MessageFormat);
        Assert.Equal(original.Category, linked.Category);
        Assert.Equal(original.DefaultSeverity, linked.DefaultSeverity);
        Assert.Equal(original.CustomTags, linked.CustomTags);
    }

    [Fact]
    public void ChangingTheOptionRelinksWithoutReparsing()
    {
        var compilation = GeneratorHarness.CreateCompilation(Model);
        var first = GeneratorHarness.CreateDriver(new Dictionary<string, string> { ["MeanFieldDiagnosticsDocs"] = "https://a.example/" }).RunGenerators(compilation);
        var second = first.WithUpdatedAnalyzerConfigOptions(GeneratorHarness.BuildProperties(new Dictionary<string, string> { ["MeanFieldDiagnosticsDocs"] = "https://b.example/" }))
            .RunGenerators(compilation);

        var result = second.GetRunResult().Results.Single();
        Assert.Equal("https://b.example/MF0012.md", Assert.Single(result.Diagnostics).Descriptor.HelpLinkUri);
        Assert.All(result.TrackedSteps[MeanFieldGenerator.NetworkSteps.Parse].SelectMany(s => s.Outputs), o => Assert.NotEqual(IncrementalStepRunReason.Modified, o.Reason));
    }
}

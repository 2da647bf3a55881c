using MeanField.Generators.Tests.Infrastructure;

namespace MeanField.Generators.Tests.Generator;

/// <summary>
/// Pins the generated file of every ready-made model in src/Models: the generator runs on the
/// model's real source, the output must compile with no errors, and must equal the accepted snapshot.
/// </summary>
public sealed class SnapshotTests
{
    public static TheoryData<string> Models() => new(ModelNames());

    private static string[] ModelNames()
        => Directory.GetFiles(ModelsFolder, "*.cs").Select(p => Path.GetFileNameWithoutExtension(p)).Where(p => p != "GlobalUsings").OrderBy(p => p, StringComparer.Ordinal).ToArray();

    private static string ModelsFolder => Path.Combine(GeneratorHarness.RepositoryRoot(), "src", "Models");

    [Theory]
    [MemberData(nameof(Models))]
    public void GeneratedFileMatchesSnapshot(string model)
    {
        string source = File.ReadAllText(Path.Combine(ModelsFolder, model + ".cs"));
        var (result, output) = GeneratorHarness.Run(source);

        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilationErrors(output));
        var generated = Assert.Single(result.GeneratedSources);
        Assert.Equal($"MeanField.Models.{model}.g.cs", generated.HintName);
        Snapshot.Verify(generated.SourceText.ToString(), $"MeanField.Models.{model}");
    }

    [Fact]
    public void EveryModelHasASnapshot()
    {
        var snapshots = Directory.GetFiles(Path.Combine(GeneratorHarness.RepositoryRoot(), "tests", "MeanField.Generators.Tests", "Generator", "Snapshots"), "*.verified.cs")
            .Select(p => Path.GetFileName(p)).ToHashSet();
        var models = ModelNames();
        Assert.True(models.Length >= 4, "src/Models should hold at least four models");
        foreach (var model in models)
        {
            Assert.Contains($"MeanField.Models.{model}.verified.cs", snapshots);
        }
    }
}

using System.IO.Compression;
using System.Xml.Linq;
using MeanField.Package.Tests.Infrastructure;

namespace MeanField.Package.Tests;

/// <summary>What `dotnet pack src/Runtime` produces: one package MeanField with the runtime, the generator and its settings.</summary>
[Collection(PackageCollection.Name)]
[Trait("Category", "Package")]
public sealed class PackageLayoutTests(PackageFixture package)
{
    [Fact]
    public void PackageHoldsRuntimeGeneratorTargetsReadmeAndLicense()
    {
        using var zip = ZipFile.OpenRead(package.RequirePackage());
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        string listing = string.Join("\n", entries.Order(StringComparer.Ordinal));
        foreach (string expected in new[]
        {
            "lib/net10.0/MeanField.Runtime.dll",
            "lib/net10.0/MeanField.Runtime.xml",
            "analyzers/dotnet/cs/MeanField.Generators.dll",
            "buildTransitive/MeanField.targets",
            "README.md",
            "LICENSE",
            "MeanField.nuspec",
        })
        {
            Assert.True(entries.Contains(expected), $"The package lacks {expected}. It holds:\n{listing}");
        }

        // Each diagnostic's page, where its help link points in a user's build, and the spec the pages cite.
        foreach (var descriptor in MeanField.Generators.Diagnostics.DiagnosticDescriptors.All)
        {
            Assert.True(entries.Contains($"docs/diagnostics/{descriptor.Id}.md"), $"The package lacks the page of {descriptor.Id}. It holds:\n{listing}");
        }

        Assert.Contains("docs/diagnostics/README.md", entries);
        Assert.Contains("specs/networks.md", entries);

        // The generator is an analyzer only: never a lib assembly, never a dependency.
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generators", StringComparison.Ordinal));

        var nuspec = XDocument.Load(zip.GetEntry("MeanField.nuspec")!.Open());
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("MeanField", metadata.Element(ns + "id")!.Value);
        Assert.Equal(Repository.Version, metadata.Element(ns + "version")!.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        var dependencies = metadata.Descendants(ns + "dependency").Select(d => (string)d.Attribute("id")!).ToList();
        // System.IO.Hashing: the checkpoints' CRC-64 and data fingerprint (src/Runtime/Storage/ParticleFile.cs).
        Assert.Equal(["System.IO.Hashing", "System.Numerics.Tensors"], dependencies.Order(StringComparer.Ordinal));

        using var reader = new StreamReader(zip.GetEntry("buildTransitive/MeanField.targets")!.Open());
        string targets = reader.ReadToEnd();
        Assert.Contains("<Using Include=\"MeanField.Channels\" Static=\"true\" />", targets, StringComparison.Ordinal);
        Assert.Contains("MeanFieldImplicitUsings", targets, StringComparison.Ordinal);
        Assert.Contains("<CompilerVisibleProperty Include=\"MeanFieldDiagnosticsDocs\" />", targets, StringComparison.Ordinal);
    }

    [Fact]
    public void SymbolsPackageHoldsThePdb()
    {
        package.RequirePackage();
        Assert.True(File.Exists(package.SymbolsPackagePath), $"No symbols package {package.SymbolsPackagePath}.\n{package.PackResult.Describe()}");
        using var zip = ZipFile.OpenRead(package.SymbolsPackagePath);
        Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/MeanField.Runtime.pdb");
    }

    [Fact]
    public void PackedAssembliesCarryThePackageVersion()
    {
        using var zip = ZipFile.OpenRead(package.RequirePackage());
        foreach (string entry in new[] { "lib/net10.0/MeanField.Runtime.dll", "analyzers/dotnet/cs/MeanField.Generators.dll" })
        {
            string path = Path.Combine(package.TempRoot, "extracted", entry);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            zip.GetEntry(entry)!.ExtractToFile(path, overwrite: true);
            var version = System.Diagnostics.FileVersionInfo.GetVersionInfo(path).ProductVersion ?? "";

            // ProductVersion is the informational version, possibly with "+commit" appended.
            Assert.Equal(Repository.Version, version.Split('+')[0]);
        }
    }
}

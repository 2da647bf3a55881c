namespace MeanField.Package.Tests.Infrastructure;

/// <summary>
/// Packs src/Runtime once (`dotnet pack src/Runtime -c Release -o TEMP/packages`, exactly what a user runs)
/// into a temporary folder outside the repository, with an empty NuGet packages folder beside it, so the
/// consumer tests restore MeanField from the fresh .nupkg and never from a copy cached by an earlier run.
/// Set MEANFIELD_KEEP_TEMP=1 to keep the folder for inspection.
/// </summary>
public sealed class PackageFixture : IDisposable
{
    public static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);

    public PackageFixture()
    {
        TempRoot = Path.Combine(Path.GetTempPath(), "meanfield-package-tests", Guid.NewGuid().ToString("N")[..12]);
        PackageFolder = Path.Combine(TempRoot, "packages");
        NuGetPackages = Path.Combine(TempRoot, "nuget-packages");
        Directory.CreateDirectory(PackageFolder);
        Directory.CreateDirectory(NuGetPackages);
        PackResult = ProcessRunner.Dotnet(
            Repository.Root, PackTimeout, environment: null,
            "pack", Repository.PathOf("src/Runtime"), "-c", "Release", "-o", PackageFolder);
    }

    /// <summary>A fresh folder under the system's temp folder, outside the repository.</summary>
    public string TempRoot { get; }

    /// <summary>Where `dotnet pack` wrote MeanField.{version}.nupkg and .snupkg.</summary>
    public string PackageFolder { get; }

    /// <summary>The isolated NUGET_PACKAGES folder for restores in these tests.</summary>
    public string NuGetPackages { get; }

    public ProcessResult PackResult { get; }

    public string PackagePath => Path.Combine(PackageFolder, $"MeanField.{Repository.Version}.nupkg");

    public string SymbolsPackagePath => Path.Combine(PackageFolder, $"MeanField.{Repository.Version}.snupkg");

    /// <summary>Environment for commands that restore: the isolated packages folder.</summary>
    public Dictionary<string, string> Environment => new() { ["NUGET_PACKAGES"] = NuGetPackages };

    /// <summary>Asserts the pack succeeded and produced the package; returns its path.</summary>
    public string RequirePackage()
    {
        ProcessRunner.Succeed(PackResult);
        Assert.True(File.Exists(PackagePath), $"dotnet pack did not write {PackagePath}. Folder holds: {string.Join(", ", Directory.GetFiles(PackageFolder).Select(Path.GetFileName))}\n{PackResult.Describe()}");
        return PackagePath;
    }

    /// <summary>A new empty folder under <see cref="TempRoot"/>.</summary>
    public string NewFolder(string name)
    {
        string path = Path.Combine(TempRoot, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        if (System.Environment.GetEnvironmentVariable("MEANFIELD_KEEP_TEMP") == "1")
        {
            return;
        }

        try
        {
            Directory.Delete(TempRoot, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>Tests that pack and consume the package share one pack and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackageFixture>
{
    public const string Name = "Package";
}

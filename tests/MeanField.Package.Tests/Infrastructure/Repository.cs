using System.Reflection;

namespace MeanField.Package.Tests.Infrastructure;

/// <summary>Facts about the repository this test assembly was built from (set by its .csproj from MSBuild).</summary>
internal static class Repository
{
    /// <summary>The folder holding MeanField.sln.</summary>
    public static string Root { get; } = Path.GetFullPath(Metadata("MeanFieldRoot"));

    /// <summary>$(Version) from Directory.Build.props: the package's version.</summary>
    public static string Version { get; } = Metadata("MeanFieldVersion");

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string Metadata(string key)
        => typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
           ?? throw new InvalidOperationException($"Assembly metadata {key} is empty.");
}

using System.Globalization;
using MeanField.Package.Tests.Infrastructure;

namespace MeanField.Package.Tests;

/// <summary>
/// The package consumed like a user would: a fresh `dotnet new console` project in a temporary folder outside
/// the solution, with its own nuget.config adding the folder `dotnet pack` wrote to, `dotnet add package MeanField`,
/// a model (Consumer/Model.cs) and a Program (Consumer/Program.cs) that trains with GradientFlow and checks a
/// generated gradient. No project references: everything comes from the .nupkg.
/// </summary>
[Collection(PackageCollection.Name)]
[Trait("Category", "Package")]
public sealed class ConsumerProjectTests(PackageFixture package)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public void ConsoleProjectTrainsAModelFromThePackage()
    {
        package.RequirePackage();
        string folder = package.NewFolder("consumer");
        var env = package.Environment;

        ProcessRunner.Succeed(ProcessRunner.Dotnet(folder, StepTimeout, env, "new", "console", "--name", "PackageConsumer", "--output", folder));

        // The package folder as a source; the machine's own sources (nuget.org) still apply for System.Numerics.Tensors.
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="meanfield-local" value="{package.PackageFolder}" />
              </packageSources>
            </configuration>
            """);
        ProcessRunner.Succeed(ProcessRunner.Dotnet(folder, StepTimeout, env, "add", "package", "MeanField", "--version", Repository.Version, "--source", package.PackageFolder));

        foreach (string name in new[] { "Model.cs", "Program.cs" })
        {
            File.Copy(Repository.PathOf($"tests/MeanField.Package.Tests/Consumer/{name}"), Path.Combine(folder, name), overwrite: true);
        }

        // Warnings are errors: the generated code must compile cleanly in a user's project.
        ProcessRunner.Succeed(ProcessRunner.Dotnet(folder, StepTimeout, env, "build", "-c", "Release", "-warnaserror"));
        var run = ProcessRunner.Succeed(ProcessRunner.Dotnet(folder, StepTimeout, env, "run", "-c", "Release", "--no-build"));

        var lines = run.Output.Split('\n', StringSplitOptions.TrimEntries)
            .Where(l => l.Contains(": ", StringComparison.Ordinal))
            .GroupBy(l => l[..l.IndexOf(": ", StringComparison.Ordinal)])
            .ToDictionary(g => g.Key, g => g.Last()[(g.Key.Length + 2)..]);
        string Value(string key) => lines.TryGetValue(key, out var v) ? v : throw new Xunit.Sdk.XunitException($"The program printed no '{key}:' line.\n{run.Describe()}");

        // Trained: the loss fell at least 10-fold (about 33-fold at these seeds; the random start is seeded).
        double ratio = double.Parse(Value("loss-ratio"), CultureInfo.InvariantCulture);
        Assert.True(ratio >= 10, $"The loss fell only {ratio:F1}-fold.\n{run.Describe()}");
        Assert.StartsWith("MaxSteps", Value("stop"), StringComparison.Ordinal);

        // Generated ∂φ/∂θ, ∂φ/∂x and ∇U agree with central differences (h = 1e-6: error ~1e-10).
        double error = double.Parse(Value("gradient-max-error"), CultureInfo.InvariantCulture);
        Assert.True(error < 1e-7, $"Generated gradient differs from finite differences by {error:E2}.\n{run.Describe()}");

        // [GeneratedCode] carries the package version.
        Assert.Equal($"MeanField.Generators {Repository.Version}", Value("generated-code"));
    }
}

using MeanField.Generators.Tests.Infrastructure;

namespace MeanField.Generators.Tests.Generator;

/// <summary>
/// The generator sees half-typed code in the IDE all the time. Whatever the source, no exception may
/// escape to the compiler and no MF0099 (an internal failure) may be reported: each broken model gets
/// the compiler's own errors and, at most, MF diagnostics.
/// </summary>
public sealed class RobustnessTests
{
    private static readonly string[] Tokens = { "(", ")", "w", "x", "c", "s", "+", "*", "/", "-", "Math.", ";", "{", "}", "=>", "?", ":", "0", ",", "static", "double", "[Unit]", "Dot(", "\"", "int ", "w[0]", "ref " };

    [Fact]
    public void RandomlyMutatedModelsNeverCrashTheGenerator()
    {
        string root = GeneratorHarness.RepositoryRoot();
        var sources = new[] { "GaussianBumpNetwork", "FourierNetwork", "TanhNetwork" }
            .Select(m => File.ReadAllText(Path.Combine(root, "src", "Models", m + ".cs"))).ToArray();
        var random = new Random(2024);
        int generated = 0, diagnosed = 0;

        for (int round = 0; round < 300; round++)
        {
            string source = sources[round % sources.Length];
            for (int edit = 0; edit < 1 + random.Next(3); edit++)
            {
                int at = random.Next(source.Length);
                source = random.Next(2) == 0
                    ? source.Remove(at, Math.Min(1 + random.Next(8), source.Length - at))
                    : source.Insert(at, Tokens[random.Next(Tokens.Length)]);
            }

            var (result, _) = GeneratorHarness.Run(source);

            Assert.True(result.Exception is null, $"round {round}: {result.Exception}\n{source}");
            Assert.DoesNotContain(result.Diagnostics, d => d.Id == "MF0099");
            generated += result.GeneratedSources.Length;
            diagnosed += result.Diagnostics.Length > 0 ? 1 : 0;
        }

        // The mutations must exercise both paths: some models still generate, some are diagnosed.
        Assert.True(generated > 0, "no mutated model generated code");
        Assert.True(diagnosed > 0, "no mutated model was diagnosed");
    }
}

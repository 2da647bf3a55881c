using System.Text.RegularExpressions;
using MeanField.Generators.Tests.Infrastructure;

namespace MeanField.Generators.Tests.Generator;

/// <summary>
/// docs/inspecting-generated-code.md quotes the generated file of GaussianBumpNetwork. The quotes must stay
/// true: every header line it shows (except elided ones, with "…") and every statement of its code excerpt
/// (comments and shortened namespaces aside) must be in the accepted snapshot.
/// </summary>
public sealed partial class DocsExcerptTests
{
    [Fact]
    public void InspectionGuideQuotesTheSnapshot()
    {
        string root = GeneratorHarness.RepositoryRoot();
        string guide = File.ReadAllText(Path.Combine(root, "docs", "inspecting-generated-code.md"));
        string snapshot = File.ReadAllText(Path.Combine(root, "tests", "MeanField.Generators.Tests", "Generator", "Snapshots", "MeanField.Models.GaussianBumpNetwork.verified.cs"));
        var blocks = Fence().Matches(guide).ToDictionary(m => m.Groups["info"].Value, m => m.Groups["body"].Value);

        int header = 0;
        foreach (var line in blocks["text"].Split('\n').Where(l => l.Length > 0 && !l.Contains('…', StringComparison.Ordinal)))
        {
            Assert.Contains("// " + line + "\n", snapshot, StringComparison.Ordinal);
            header++;
        }

        int statements = 0;
        foreach (var raw in blocks["csharp"].Split('\n'))
        {
            string line = Regex.Replace(raw, @"\s*//.*$", string.Empty).Trim();
            if (line.StartsWith("var ", StringComparison.Ordinal) || line.StartsWith("gradient[", StringComparison.Ordinal))
            {
                Assert.Contains(line.Replace("SimdMath.", "global::MeanField.Numerics.SimdMath.", StringComparison.Ordinal), snapshot, StringComparison.Ordinal);
                statements++;
            }
        }

        Assert.True(header >= 10 && statements >= 10, $"the guide's excerpts look empty ({header} header lines, {statements} statements)");
    }

    [GeneratedRegex(@"^```(?<info>\w+)\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MeanField.Package.Tests.Infrastructure;

namespace MeanField.Package.Tests;

/// <summary>
/// docs/getting-started.md run as written: its ```sh blocks are the commands and its ```lang file=NAME blocks the
/// files, in page order, turned into one bash script that runs in an empty temporary folder with MEANFIELD_REPO
/// set to this repository (as the guide tells the reader to set it) and an isolated NUGET_PACKAGES. The page's
/// ```text block is the output it promises; the test checks the run prints the same loss table and fit.
/// </summary>
[Collection(PackageCollection.Name)]
[Trait("Category", "Package")]
public sealed partial class GettingStartedGuideTests(PackageFixture package)
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(8);

    private static string GuidePath => Repository.PathOf("docs/getting-started.md");

    [Fact]
    public void GuideNamesThePackageVersion()
    {
        string guide = File.ReadAllText(GuidePath);
        foreach (Match m in VersionMention().Matches(guide))
        {
            Assert.True(m.Groups[1].Value == Repository.Version, $"docs/getting-started.md mentions MeanField version {m.Groups[1].Value} ('{m.Value}'), but the package is {Repository.Version} (Directory.Build.props): update the guide.");
        }

        Assert.Contains($"MeanField --version {Repository.Version}", guide, StringComparison.Ordinal);
    }

    [Fact]
    public void GuideRunsAsWrittenAndPrintsWhatItShows()
    {
        var blocks = Blocks(File.ReadAllText(GuidePath));
        var script = new StringBuilder("set -euo pipefail\nset -x\n");
        int commands = 0, files = 0;
        foreach (var (info, body) in blocks)
        {
            string language = info.Split(' ', 2)[0];
            var file = Regex.Match(info, @"\bfile=(\S+)");
            if (file.Success)
            {
                script.Append(CultureInfo.InvariantCulture, $"cat > '{file.Groups[1].Value}' <<'MEANFIELD_GUIDE_EOF'\n{body}MEANFIELD_GUIDE_EOF\n");
                files++;
            }
            else if (language is "sh" or "bash" or "shell")
            {
                script.Append(body);
                commands++;
            }
        }

        Assert.True(commands >= 3 && files >= 3, $"Expected the guide's sh blocks and file blocks; found {commands} and {files}.");
        string folder = package.NewFolder("guide");
        string scriptPath = Path.Combine(package.TempRoot, "getting-started.sh");
        File.WriteAllText(scriptPath, script.ToString());

        var env = package.Environment;
        env["MEANFIELD_REPO"] = Repository.Root;
        var run = ProcessRunner.Run("bash", [scriptPath], folder, ScriptTimeout, env);
        Assert.True(run.ExitCode == 0, $"The getting-started guide failed as written (script {scriptPath}):\n{run.Describe()}");

        // The page's expected output (loss table, summary, fit table), line by line after its first line; numbers
        // may differ in the last digits (other CPUs take other SIMD widths), so they are compared with a tolerance.
        var expected = blocks.Single(b => b.Info == "text").Body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToList();
        var printed = run.Output.Split('\n').Select(l => l.Trim()).ToList();
        int start = printed.IndexOf(expected[0]);
        Assert.True(start >= 0 && start + expected.Count <= printed.Count, $"The run did not print the guide's output (first line '{expected[0]}').\n{run.Describe()}");
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(SameLine(expected[i], printed[start + i]), $"The guide shows\n  {expected[i]}\nbut the program printed\n  {printed[start + i]}\n\n{run.Describe()}");
        }

        // The plot the guide promises: a PNG file (signature 89 50 4E 47) of plausible size.
        var png = Assert.Single(Directory.GetFiles(folder, "loss.png", SearchOption.AllDirectories));
        byte[] bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 5000 && bytes[0] == 0x89 && bytes[1] == (byte)'P' && bytes[2] == (byte)'N' && bytes[3] == (byte)'G', $"{png} is not a PNG plot ({bytes.Length} bytes)");
    }

    /// <summary>Same words; numbers equal within 3% relative or 0.002 absolute.</summary>
    private static bool SameLine(string expected, string actual)
    {
        var e = Token().Matches(expected).Select(m => m.Value).ToList();
        var a = Token().Matches(actual).Select(m => m.Value).ToList();
        return e.Count == a.Count && e.Zip(a).All(p =>
            double.TryParse(p.First, NumberStyles.Float, CultureInfo.InvariantCulture, out double x)
            && double.TryParse(p.Second, NumberStyles.Float, CultureInfo.InvariantCulture, out double y)
                ? Math.Abs(x - y) <= Math.Max(0.002, 0.03 * Math.Abs(x))
                : p.First == p.Second);
    }

    /// <summary>The fenced blocks of a Markdown page, in order: (info string, body with a final newline).</summary>
    internal static List<(string Info, string Body)> Blocks(string markdown)
        => Fence().Matches(markdown.ReplaceLineEndings("\n")).Select(m => (m.Groups["info"].Value.Trim(), m.Groups["body"].Value)).ToList();

    [GeneratedRegex(@"^```(?<info>[^\n`]*)\n(?<body>.*?)^```[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"(?:MeanField\.|MeanField --version |meanfield/)(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)", RegexOptions.IgnoreCase)]
    private static partial Regex VersionMention();

    [GeneratedRegex(@"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[^\s\d-]+|-")]
    private static partial Regex Token();
}

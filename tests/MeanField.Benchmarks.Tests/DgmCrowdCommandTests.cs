namespace MeanField.Benchmarks.Tests;

/// <summary>The <c>dgm-crowd</c> command (specs/dgm.md §6.7): a tiny run prints its error table and the E/μ curves against the reference; bad options exit 2.</summary>
public sealed class DgmCrowdCommandTests
{
    [Fact]
    public void TinyRunPrintsTheErrorTableAndTheCurves()
    {
        var output = new StringWriter();
        int rc = DgmCrowdCommand.Run(["--width", "8", "--depth", "1", "--batch", "64", "--steps", "4", "--every", "2", "--threads", "1"], output);

        Assert.Equal(0, rc);
        string[] lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        Assert.StartsWith("dgm-crowd: crowd trading", lines[0], StringComparison.Ordinal);
        Assert.Contains("batch 64 (1 time slices) + 2 × 16", lines[0], StringComparison.Ordinal);
        string[] rows = [.. lines.Where(l => l.StartsWith("| ", StringComparison.Ordinal) && char.IsDigit(l[2]))];
        string[] steps = [.. rows.Take(2).Select(r => r.Split('|', StringSplitOptions.TrimEntries)[1])];
        Assert.Equal(["2", "4"], steps);

        // The curves: t = 0, 0.1, …, 1 with the reference's E(0) = E₀ = 1 and μ(0) = −0.7782 (specs/mfg.md §5.3).
        string[] curve = [.. rows.Skip(2)];
        Assert.Equal(11, curve.Length);
        string[] first = curve[0].Split('|', StringSplitOptions.TrimEntries);
        Assert.Equal(["0.0", "1.0000", "-0.7782"], new[] { first[1], first[3], first[5] });
    }

    [Theory]
    [InlineData("--nope", "1")]
    [InlineData("--steps", "0")]
    [InlineData("--batch", "100")]
    [InlineData("--width", "0")]
    [InlineData("--threads", "3")]
    [InlineData("--lr", "abc")]
    [InlineData("--lr-final", "-1")]
    public void BadOptionsExitWithTwo(string key, string value) => Assert.Equal(2, DgmCrowdCommand.Run([key, value], TextWriter.Null));
}

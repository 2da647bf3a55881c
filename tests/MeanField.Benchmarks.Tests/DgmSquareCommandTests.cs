namespace MeanField.Benchmarks.Tests;

/// <summary>The <c>dgm-m2</c> command (specs/dgm.md §6.5): a tiny d = 30 run prints its residual table and the marginals' summary; bad options exit 2.</summary>
public sealed class DgmSquareCommandTests
{
    [Fact]
    public void TinyRunPrintsTheResidualTableAndTheMarginals()
    {
        var output = new StringWriter();
        int rc = DgmSquareCommand.Run(["--width", "8", "--depth", "1", "--batch", "32", "--steps", "4", "--every", "2", "--marginal-points", "200", "--bins", "4", "--threads", "1"], output);

        Assert.Equal(0, rc);
        string[] lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        Assert.StartsWith("dgm-m2: d = 30", lines[0], StringComparison.Ordinal);
        string[] rows = [.. lines.Where(l => l.StartsWith("| ", StringComparison.Ordinal) && char.IsDigit(l[2]))];
        Assert.Equal(["1", "2", "4"], rows.Select(r => r.Split('|', StringSplitOptions.TrimEntries)[1]));
        Assert.Contains("| 1.0× | 1.0× |", rows[0], StringComparison.Ordinal); // the fall is measured from the first step
        Assert.Contains(lines, l => l.StartsWith("marginals of m over 200 uniform points, 4 bins per coordinate", StringComparison.Ordinal));
        Assert.Equal(4, lines.Single(l => l.StartsWith("axis 0:", StringComparison.Ordinal)).Split(' ').Length - 2);
    }

    /// <summary>
    /// With density chains and <c>--eval-points</c> the header says so, and the rows' norms are
    /// <c>ResidualNorms</c> on the fixed uniform points: the first row's fall is 1.0× by construction and the norms are
    /// positive and finite.
    /// </summary>
    [Fact]
    public void ChainsAndFixedEvaluationPointsAreReported()
    {
        var output = new StringWriter();
        int rc = DgmSquareCommand.Run(
            ["--width", "8", "--depth", "1", "--batch", "32", "--steps", "4", "--every", "2", "--marginal-points", "200", "--bins", "4", "--threads", "1",
             "--density-fraction", "0.5", "--eval-points", "100", "--normalisation-average", "0.05"], output);

        Assert.Equal(0, rc);
        string[] lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("0.5 of each batch from density chains, Z averaged over batches (weight 0.05), norms on 100 fixed uniform points", lines[0], StringComparison.Ordinal);
        string[] rows = [.. lines.Where(l => l.StartsWith("| ", StringComparison.Ordinal) && char.IsDigit(l[2]))];
        Assert.Equal(3, rows.Length);
        foreach (string r in rows)
        {
            string[] cells = r.Split('|', StringSplitOptions.TrimEntries);
            Assert.True(double.Parse(cells[3], System.Globalization.CultureInfo.InvariantCulture) is > 0 and < double.PositiveInfinity, r);
        }
    }

    [Theory]
    [InlineData("--eval-points", "-1")]
    [InlineData("--density-fraction", "1")]
    [InlineData("--normalisation-average", "1.5")]
    [InlineData("--nope", "1")]
    [InlineData("--steps", "0")]
    [InlineData("--bins", "1")]
    [InlineData("--marginal-points", "5")]
    [InlineData("--width", "0")]
    [InlineData("--threads", "3")]
    [InlineData("--lr", "abc")]
    public void BadOptionsExitWithTwo(string key, string value) => Assert.Equal(2, DgmSquareCommand.Run([key, value], TextWriter.Null));
}

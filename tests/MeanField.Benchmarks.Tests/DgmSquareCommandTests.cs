namespace MeanField.Benchmarks.Tests;

/// <summary>The <c>dgm-m2</c> command (specs/dgm.md §6.5): a tiny d = 30 run prints its residual table and the marginals' summary; bad options exit 2.</summary>
public sealed class DgmSquareCommandTests
{
    [Fact]
    public void TinyRunPrintsTheResidualTableAndTheMarginals()
    {
        var output = new StringWriter();
        int rc = DgmSquareCommand.Run(["--width", "8", "--depth", "1", "--batch", "32", "--steps", "4", "--every", "2", "--marginal-points", "200", "--bins", "4", "--threads", "1", "--fd-nodes", "40", "--marginal-grid", "8", "--shared-points", "5"], output);

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
    /// <c>--c 0.02</c> trains <c>WeakSquareCouplingGame30D</c> and compares the axes' marginal with the d = 1
    /// finite-difference solution (specs/dgm.md §6.5). The reference is checked against the c → 0 expansion of
    /// specs/mfg.md §5.2, m = 1 − 2ca(sin 2πx + cos 2πx) + O(c²), a = 2π²/(2π² + 4): on the grid x = 0, ¼, ½, ¾ its
    /// deviation from 1 has amplitude 2ca = 0.03326; the first-order scheme at N = 40 and the O(c²) term move it by
    /// ≲ 2·10⁻³ (tolerance 3·10⁻³). The printed points are all four, and the printed largest difference is theirs (to the
    /// 4 printed decimals).
    /// </summary>
    [Fact]
    public void WeakCouplingIsComparedWithTheFiniteDifferenceSolution()
    {
        var output = new StringWriter();
        int rc = DgmSquareCommand.Run(
            ["--c", "0.02", "--width", "8", "--depth", "1", "--batch", "32", "--steps", "3", "--every", "3", "--marginal-points", "200", "--bins", "4", "--threads", "1",
             "--fd-nodes", "40", "--marginal-grid", "4", "--shared-points", "7"], output);

        Assert.Equal(0, rc);
        string[] lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("c = 0.02", lines[0], StringComparison.Ordinal);
        string summary = lines.Single(l => l.StartsWith("marginal of m against the d = 1 finite-difference solution (c = 0.02, 40 nodes", StringComparison.Ordinal));
        Assert.Contains("each axis on 4 points beside 7 shared uniform points, the mean over the 30 axes", summary, StringComparison.Ordinal);
        double Number(string after)
        {
            int at = summary.IndexOf(after, StringComparison.Ordinal) + after.Length;
            return double.Parse(summary[at..].Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);
        }

        double a = 2 * Math.PI * Math.PI / ((2 * Math.PI * Math.PI) + 4);
        Assert.Equal(2 * 0.02 * a, Number("deviation amplitude FD "), 3e-3);
        double[] Row(string label) => [.. lines.Single(l => l.StartsWith(label, StringComparison.Ordinal))[label.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];
        double[] x = Row("x:"), dgm = Row("DGM:"), fd = Row("FD:");
        Assert.Equal([0, 0.25, 0.5, 0.75], x);
        Assert.Equal(Number("largest difference "), dgm.Zip(fd, (p, q) => Math.Abs(p - q)).Max(), 1.01e-4);
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
            ["--width", "8", "--depth", "1", "--batch", "32", "--steps", "4", "--every", "2", "--marginal-points", "200", "--bins", "4", "--threads", "1", "--fd-nodes", "40", "--marginal-grid", "4", "--shared-points", "3",
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

    /// <summary>
    /// <c>--checkpoint</c> saves at every row and <c>--resume</c> continues: 2 steps saved, then resumed to 4, print the
    /// straight 4-step run's last row (norms, falls against the first step's, λ: the training is bit-identical, §5.3);
    /// a missing or corrupted file exits 2.
    /// </summary>
    [Fact]
    public void CheckpointThenResumeContinuesTheRun()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"dgm-m2-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string[] tiny = ["--width", "8", "--depth", "1", "--batch", "32", "--every", "2", "--lr-final", "1e-3", "--eval-points", "50", "--marginal-points", "200", "--bins", "4", "--threads", "1",
                "--fd-nodes", "40", "--marginal-grid", "4", "--shared-points", "3"];
            string state = Path.Combine(folder, "state.mfdg");
            var straight = new StringWriter();
            Assert.Equal(0, DgmSquareCommand.Run([.. tiny, "--steps", "4"], straight));
            Assert.Equal(0, DgmSquareCommand.Run([.. tiny, "--steps", "2", "--checkpoint", state], TextWriter.Null));
            Assert.True(File.Exists(state));
            var resumed = new StringWriter();
            Assert.Equal(0, DgmSquareCommand.Run([.. tiny, "--steps", "4", "--resume", state], resumed));
            static string[] Last(StringWriter w) => w.ToString().Split('\n', StringSplitOptions.TrimEntries).Last(l => l.StartsWith("| 4 |", StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries);
            Assert.Equal(Last(straight)[3..8], Last(resumed)[3..8]); // the norms, their falls and λ
            Assert.Contains("resumed from", resumed.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("| 2 |", resumed.ToString(), StringComparison.Ordinal);

            Assert.Equal(2, DgmSquareCommand.Run([.. tiny, "--steps", "4", "--resume", Path.Combine(folder, "missing.mfdg")], TextWriter.Null));
            byte[] bytes = File.ReadAllBytes(state);
            bytes[bytes.Length / 2] ^= 0x40;
            File.WriteAllBytes(state, bytes);
            Assert.Equal(2, DgmSquareCommand.Run([.. tiny, "--steps", "4", "--resume", state], TextWriter.Null));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
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
    [InlineData("--c", "0.5")]
    [InlineData("--marginal-grid", "3")]
    [InlineData("--shared-points", "0")]
    [InlineData("--marginal-grid", "1")]
    public void BadOptionsExitWithTwo(string key, string value) => Assert.Equal(2, DgmSquareCommand.Run([key, value], TextWriter.Null));
}

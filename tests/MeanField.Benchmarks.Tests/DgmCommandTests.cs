namespace MeanField.Benchmarks.Tests;

/// <summary>The <c>dgm</c> command (specs/dgm.md §6.4): its error measures and a tiny run that writes the table.</summary>
public sealed class DgmCommandTests
{
    /// <summary>
    /// The measures are those of the spec: u up to a constant (∫u = 0 on both sides), m up to the normalisation of e^v,
    /// relative errors. Exact inputs shifted by constants give 0 (to rounding: 10⁻¹² on O(1) values), u* scaled by 1.1
    /// gives err u = 0.1, m* scaled pointwise by 1.1 at one of two points gives the closed form below, λ relative.
    /// </summary>
    [Fact]
    public void ErrorsAreRelativeL2WithUpToConstantUAndNormalisedM()
    {
        double[] exactU = [0.3, -0.7, 0.1, 0.3];
        double[] exactM = [0.5, 1.5, 1.2, 0.8]; // mean 1
        double[] u = [.. exactU.Select(x => x + 5)];
        double[] v = [.. exactM.Select(m => Math.Log(m) - 3)];
        var e = DgmCommand.Evaluator.Compare(u, v, exactU, exactM, -2, -2.5);
        Assert.True(e.U <= 1e-12, $"err u {e.U}");
        Assert.True(e.M <= 1e-12, $"err m {e.M}");
        Assert.Equal(0.2, e.Lambda, 1e-15);

        double mean = exactU.Average();
        double[] scaled = [.. exactU.Select(x => mean + (1.1 * (x - mean)))];
        Assert.Equal(0.1, DgmCommand.Evaluator.Compare(scaled, v, exactU, exactM, -2.5, -2.5).U, 1e-12);

        // m = (0.5, 1.5): v = log(0.55, 1.5) normalised to mean 1 gives m = (0.55, 1.5)·2/2.05.
        double[] twoM = [0.5, 1.5];
        var two = DgmCommand.Evaluator.Compare([0.0, 0.0], [Math.Log(0.55), Math.Log(1.5)], [0.0, 1.0], twoM, 0, 1);
        double a = (0.55 * 2 / 2.05) - 0.5, b = (1.5 * 2 / 2.05) - 1.5;
        Assert.Equal(Math.Sqrt(((a * a) + (b * b)) / 2.5), two.M, 1e-12);
        Assert.Equal(1, two.U, 1e-12); // a constant u against a non-constant u*: the whole of u* is error
    }

    /// <summary>
    /// m's normalisation uses the control variate ∫m* = 1 (specs/dgm.md §6.4): on points where m* does not average to 1
    /// (its Monte-Carlo error), the exact v still scores err m = 0 to rounding. Normalising e^v to mean 1 alone, as
    /// before, scored 0.2/1.2 = 0.167 here; with the ratio estimator a wrong shape still shows (the second case: the
    /// closed form of m = e^v·mean m*/mean e^v).
    /// </summary>
    [Fact]
    public void TheNormalisationOfMCarriesNoMonteCarloErrorOfItsOwn()
    {
        double[] exactM = [0.5, 1.7, 1.4, 1.2]; // mean 1.2: a draw whose points over-sample the peak
        double[] zeros = [0.0, 0.0, 0.0, 0.0];
        var exact = DgmCommand.Evaluator.Compare(zeros, [.. exactM.Select(m => Math.Log(m) + 7)], zeros, exactM, 0, 1);
        Assert.True(exact.M <= 1e-12, $"err m {exact.M}");

        double[] flat = [1.0, 1.0, 1.0, 1.0];
        var wrong = DgmCommand.Evaluator.Compare(zeros, [.. flat.Select(m => Math.Log(m))], zeros, exactM, 0, 1);
        double expected = Math.Sqrt(exactM.Sum(m => (1.2 - m) * (1.2 - m)) / exactM.Sum(m => m * m));
        Assert.Equal(expected, wrong.M, 1e-12);
    }

    /// <summary>
    /// <c>--plot PREFIX</c> writes the error curves against steps and against training time as PNG files (the PNG
    /// signature, ScottPlot's 800 × 500 image), rewritten at every row: after a run with two rows they hold both. A prefix
    /// whose folder cannot be made exits with 2 before training.
    /// </summary>
    [Fact]
    public void PlotWritesTheErrorCurvesAgainstStepsAndTime()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"dgm-plot-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string prefix = Path.Combine(folder, "curves");
            Assert.Equal(0, DgmCommand.Run(["--d", "1", "--width", "8", "--depth", "1", "--batch", "64", "--steps", "4", "--every", "2", "--eval-points", "200", "--plot", prefix]));
            byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
            foreach (string name in new[] { "curves-steps.png", "curves-time.png" })
            {
                byte[] png = File.ReadAllBytes(Path.Combine(folder, name));
                Assert.Equal(signature, png[..8]);
                Assert.Equal(800, (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19]); // IHDR width
                Assert.Equal(500, (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23]); // IHDR height
            }

            Assert.Equal(2, Directory.GetFiles(folder).Length); // no temporary file left behind

            // A prefix under a file (its folder cannot be made) exits 2 before any training, writing nothing.
            string blocker = Path.Combine(folder, "a-file");
            File.WriteAllText(blocker, "");
            string table = Path.Combine(folder, "table.md");
            Assert.Equal(2, DgmCommand.Run(["--d", "1", "--width", "8", "--depth", "1", "--batch", "64", "--steps", "4", "--every", "2", "--eval-points", "200", "--out", table, "--plot", Path.Combine(blocker, "curves")]));
            Assert.False(File.Exists(table)); // refused before the table was opened, so before any training
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A tiny run (d = 1, width 8, 4 steps) writes the header and one row per evaluation to <c>--out</c>.</summary>
    [Fact]
    public void TinyRunWritesTheTable()
    {
        string path = Path.Combine(Path.GetTempPath(), $"dgm-{Environment.ProcessId}-{Guid.NewGuid():N}.md");
        try
        {
            int rc = DgmCommand.Run(["--d", "1", "--width", "8", "--depth", "1", "--batch", "64", "--steps", "4", "--every", "2", "--eval-points", "200", "--out", path]);
            Assert.Equal(0, rc);
            string[] rows = [.. File.ReadAllLines(path).Where(l => l.StartsWith("| ", StringComparison.Ordinal))];
            Assert.Equal(3, rows.Length); // header + steps 2 and 4
            Assert.StartsWith("| 2 |", rows[1], StringComparison.Ordinal);
            Assert.StartsWith("| 4 |", rows[2], StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// The λ̄ column is the mean of the λ column over the last <c>--lambda-window</c> steps: with a row every step and a
    /// window of 3, row k holds the mean of rows k − 2 … k (fewer at the start), checked from the printed λ (5 decimals,
    /// so to 1e-5) through the ring's wrap at step 4; err λ̄ is |λ̄ − λ*|/|λ*| with λ* printed in the header (err to 3
    /// significant digits).
    /// </summary>
    [Fact]
    public void TheAveragedLambdaIsTheMeanOfTheLastSteps()
    {
        string path = Path.Combine(Path.GetTempPath(), $"dgm-{Environment.ProcessId}-{Guid.NewGuid():N}.md");
        try
        {
            Assert.Equal(0, DgmCommand.Run(["--d", "1", "--width", "8", "--depth", "1", "--batch", "64", "--steps", "6", "--every", "1",
                "--eval-points", "200", "--lambda-window", "3", "--out", path]));
            string[] lines = File.ReadAllLines(path);
            Assert.Contains("λ̄ (mean of last 3)", lines.First(l => l.StartsWith("| steps", StringComparison.Ordinal)), StringComparison.Ordinal);
            double exact = double.Parse(lines[0].Split("λ* = ")[1].Split(';')[0], System.Globalization.CultureInfo.InvariantCulture);
            var rows = lines.Where(l => l.StartsWith("| ", StringComparison.Ordinal) && char.IsDigit(l[2]))
                .Select(l => l.Split('|', StringSplitOptions.TrimEntries)).ToArray();
            Assert.Equal(6, rows.Length);
            double Cell(int row, int column) => double.Parse(rows[row][column], System.Globalization.CultureInfo.InvariantCulture);
            for (int k = 0; k < rows.Length; k++)
            {
                double expected = Enumerable.Range(Math.Max(0, k - 2), Math.Min(3, k + 1)).Average(j => Cell(j, 8));
                Assert.True(Math.Abs(Cell(k, 12) - expected) <= 1e-5, $"row {k + 1}: λ̄ {Cell(k, 12)}, mean of the λ column {expected}");
                Assert.True(Math.Abs(Cell(k, 11) - (Math.Abs(Cell(k, 12) - exact) / Math.Abs(exact))) <= (5e-3 * Math.Abs(Cell(k, 11))) + (2e-5 / Math.Abs(exact)), // 3 significant digits; λ̄ and λ* to 5 decimals
                    $"row {k + 1}: err λ̄ {Cell(k, 11)}");
            }

            Assert.NotEqual(Cell(5, 8), Cell(5, 12)); // λ moves from step to step, so the average is not the last value
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// <c>--checkpoint</c> then <c>--resume</c>: 2 steps saved, then resumed to 4, give the last row's errors and λ of a
    /// straight 4-step run exactly (the trainer's resume is bit-identical, specs/dgm.md §5.3; the loss column averages
    /// over the run's own steps and so differs). A missing or corrupt checkpoint exits with 2.
    /// </summary>
    [Fact]
    public void CheckpointThenResumeContinuesTheRun()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"dgm-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string[] tiny = ["--d", "1", "--width", "8", "--depth", "1", "--batch", "64", "--every", "2", "--eval-points", "200", "--lr-final", "1e-3"];
            string state = Path.Combine(folder, "state.mfdg");
            Assert.Equal(0, DgmCommand.Run([.. tiny, "--steps", "4", "--out", Path.Combine(folder, "straight.md")]));
            Assert.Equal(0, DgmCommand.Run([.. tiny, "--steps", "2", "--checkpoint", state, "--out", Path.Combine(folder, "first.md")]));
            Assert.True(File.Exists(state));
            Assert.Equal(0, DgmCommand.Run([.. tiny, "--steps", "4", "--resume", state, "--out", Path.Combine(folder, "resumed.md")]));
            static string[] Last(string path) => File.ReadAllLines(path).Last(l => l.StartsWith("| ", StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries);
            string[] straight = Last(Path.Combine(folder, "straight.md")), resumed = Last(Path.Combine(folder, "resumed.md"));
            Assert.Equal("4", resumed[1]);
            Assert.Equal(straight[5..9], resumed[5..9]); // err u, err m, err λ, λ
            Assert.Contains("resumed from", File.ReadAllText(Path.Combine(folder, "resumed.md")), StringComparison.Ordinal);

            Assert.Equal(2, DgmCommand.Run([.. tiny, "--steps", "4", "--resume", Path.Combine(folder, "missing.mfdg")]));
            byte[] bytes = File.ReadAllBytes(state);
            bytes[bytes.Length / 2] ^= 0x40;
            File.WriteAllBytes(state, bytes);
            Assert.Equal(2, DgmCommand.Run([.. tiny, "--steps", "4", "--resume", state]));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Density chains where m is concentrated (specs/dgm.md §5.9): the d = 10 example at reduced size (width 32, depth 2,
    /// batch 400, 1500 steps, 20 000 evaluation points), half of each batch from the chains against uniform batches.
    /// Measured (2026-12-07, Zen 4, AVX-512, m normalised with the control variate of specs/dgm.md §6.4): err m 0.430
    /// against 0.655, err λ_m 0.305 against 0.923, err u 0.068 against 0.100 (with the points' own mean before: 0.424
    /// against 0.651, 0.311 against 0.929). The bounds ask for a third of that gain in m and half of it in λ_m (another SIMD width trains slightly
    /// different networks): a uniform-batch trainer, or chains that did not follow m, would not pass.
    /// </summary>
    [Fact]
    public void DensityChainsLowerTheErrorsInTenDimensions()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"dgm-chains-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string[] Run(string fraction)
            {
                string path = Path.Combine(folder, $"f{fraction}.md");
                Assert.Equal(0, DgmCommand.Run([
                    "--d", "10", "--width", "32", "--depth", "2", "--batch", "400", "--steps", "1500", "--every", "1500",
                    "--eval-points", "20000", "--threads", "2", "--density-fraction", fraction, "--out", path]));
                return File.ReadAllLines(path).Last(l => l.StartsWith("| 1500", StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries);
            }

            string[] uniform = Run("0"), chains = Run("0.5");
            double Column(string[] row, int i) => double.Parse(row[i], System.Globalization.CultureInfo.InvariantCulture);
            double mUniform = Column(uniform, 6), mChains = Column(chains, 6), lUniform = Column(uniform, 9), lChains = Column(chains, 9);
            string report = $"err m {mChains} against {mUniform}; err λ_m {lChains} against {lUniform}";
            Assert.True(mChains < 0.88 * mUniform, report);
            Assert.True(lChains < 0.67 * lUniform, report);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("--density-fraction", "1")]
    [InlineData("--proposal-step", "0")]
    [InlineData("--normalisation-average", "0")]
    [InlineData("--lambda-window", "0")]
    [InlineData("--lambda-window", "x")]
    [InlineData("--d", "3")]
    [InlineData("--steps", "0")]
    [InlineData("--width", "x")]
    [InlineData("--nope", "1")]
    public void BadOptionsExitWithTwo(string key, string value) => Assert.Equal(2, DgmCommand.Run([key, value]));

    /// <summary>The speed command on a tiny network prints its JSON line (exit 0) and refuses a bad option (exit 2).</summary>
    [Fact]
    public void SpeedCommandRunsTinyAndRefusesBadOptions()
    {
        var output = new StringWriter();
        TextWriter saved = Console.Out;
        Console.SetOut(output);
        try
        {
            Assert.Equal(0, DgmSpeedCommand.Run(["--width", "8", "--depth", "1", "--batch", "64", "--steps", "2", "--warmup", "1"]));
        }
        finally
        {
            Console.SetOut(saved);
        }

        Assert.Contains("\"bench\":\"dgm_step\"", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"steps_per_s\":", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, DgmSpeedCommand.Run(["--threads", "0"]));
        Assert.Equal(2, DgmSpeedCommand.Run(["--nope", "1"]));
    }
}

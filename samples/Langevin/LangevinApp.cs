using System.Globalization;
using MeanField.Samples;

namespace LangevinSample;

/// <summary>The sample's command line: <c>Langevin [--steps N] [--threads T] [--out DIR] [--seed S]</c>.</summary>
public static class LangevinApp
{
    /// <summary>The sample's name (usage, default folder artifacts/samples/langevin).</summary>
    public const string Name = "langevin";

    /// <summary>The result file's name in the output folder (kind <c>langevin</c>).</summary>
    public const string ResultFileName = "langevin.json";

    /// <summary>The plot's name in the output folder.</summary>
    public const string PlotFileName = "langevin-histogram.png";

    /// <summary>Runs the sample; returns the exit code (0, or 2 for a bad command line).</summary>
    /// <param name="args">The command line.</param>
    /// <param name="output">The report.</param>
    /// <param name="error">Errors and usage.</param>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var defaults = new SampleArguments(LangevinProblem.Steps, Math.Min(Environment.ProcessorCount, 2), SampleHost.DefaultOutputDirectory(Name), 1);
        return SampleHost.Run(Name, args, defaults, SampleOptions.All, output, error, a => Body(a, output));
    }

    private static int Body(SampleArguments a, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"Mean-field Langevin on QuadraticAttraction: U(x) = ½a(x − b)², K(x, x′) = (κ/2)(x − x′)², a = b = κ = 1"));
        output.WriteLine(string.Create(inv, $"n = {LangevinProblem.Particles} particles, {a.Steps} steps of Δt = {LangevinProblem.StepSize}, σ = {LangevinProblem.Sigma}, s = {LangevinProblem.ReferenceStd}, seed {a.Seed}, {a.Threads} thread(s)"));
        var progress = new LineProgress(output, a.Steps);
        var result = LangevinProblem.Run(LangevinProblem.Particles, a.Steps, a.Threads, a.Seed, progress.Report);
        output.WriteLine();
        output.WriteLine(string.Create(inv, $"Gibbs law N(ab/(a + σ²/(2s²)), 1/((2/σ²)(a + κ) + 1/s²)); positions pooled every {result.SampleEvery} steps after step {result.BurnInSteps}:"));
        TextTable.Write(output, ["quantity", "measured", "closed form", "relative error"],
        [
            ["mean", result.MeasuredMean.ToString("F4", inv), result.GibbsMean.ToString("F4", inv), (result.MeasuredMean / result.GibbsMean - 1).ToString("+0.00%;-0.00%", inv)],
            ["variance", result.MeasuredVariance.ToString("F4", inv), result.GibbsVariance.ToString("F4", inv), (result.MeasuredVariance / result.GibbsVariance - 1).ToString("+0.00%;-0.00%", inv)],
            ["TV distance (40 bins)", result.TotalVariation.ToString("F4", inv), "0", "-"],
        ]);
        output.WriteLine(string.Create(inv, $"Ran in {result.Seconds:F2} s."));

        string json = Path.Combine(a.OutputDirectory, ResultFileName);
        string png = Path.Combine(a.OutputDirectory, PlotFileName);
        string sha = ResultFile.Write(json, Name, result);
        var xs = Enumerable.Range(0, 201).Select(i => result.HistogramEdges[0] + (i * (result.HistogramEdges[^1] - result.HistogramEdges[0]) / 200)).ToArray();
        Plots.SaveHistogram(png, string.Create(inv, $"Mean-field Langevin, n = {result.Particles}, T = {result.Steps * result.StepSize:0.#}"), result.HistogramEdges, result.HistogramDensity,
            "particles (pooled after burn-in)", new PlotSeries(string.Create(inv, $"Gibbs N({result.GibbsMean:0.####}, {result.GibbsVariance:0.####})"), xs, xs.Select(LangevinProblem.GibbsDensity).ToArray()), "x");
        output.WriteLine($"Wrote {json} (sha256 {sha[..16]}…) and {png}.");
        return 0;
    }
}

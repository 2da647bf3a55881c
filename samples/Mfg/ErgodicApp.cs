using System.Diagnostics;
using System.Globalization;
using MeanField;
using MeanField.Models;
using MeanField.Runtime.Tests.Pde;
using MeanField.Samples;

namespace MfgSample;

/// <summary>
/// `ergodic`: the ergodic game with an explicit solution (specs/mfg.md §5), declared in src/Models and generated, solved
/// by Newton in 1-D (N = 400) and 2-D (128 × 128; first order: λ within 0.09 of the exact −0.472, against 0.22 at 48²): Newton's progress, a table of the errors against the exact solution,
/// two PNG plots (u and m against the exact ones in 1-D; a heat map of m in 2-D) and a checksummed JSON result.
/// </summary>
public static class ErgodicApp
{
    /// <summary>The sample's name (usage line, result kind, default folder).</summary>
    public const string Name = "mfg-ergodic";

    /// <summary>The 1-D plot.</summary>
    public const string Plot1D = "mfg-ergodic-1d.png";

    /// <summary>The 2-D heat map.</summary>
    public const string Plot2D = "mfg-ergodic-2d.png";

    /// <summary>The JSON result.</summary>
    public const string ResultFileName = "mfg-ergodic.json";

    /// <summary>Grid points in 1-D.</summary>
    public const int N1 = 400;

    /// <summary>Grid points per axis in 2-D.</summary>
    public const int N2 = 128;

    /// <summary>Runs the sample with its command line (after <c>ergodic</c>).</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
        => SampleHost.Run(Name, args, new SampleArguments(1, 1, SampleHost.DefaultOutputDirectory(Name), 0), SampleOptions.Out, output, error, a => Body(a, output));

    private static int Body(SampleArguments arguments, TextWriter output)
    {
        Directory.CreateDirectory(arguments.OutputDirectory);
        output.WriteLine("Ergodic MFG −½u'' + ½|u'|² − f̃(x) − ln m + λ = 0, −½m'' − (m u')' = 0 on the torus, explicit solution (Almulla–Ferreira–Gomes 2017)");
        var one = Solve<ExplicitErgodicGame>(new PeriodicGrid(N1), output, $"1-D, N = {N1}");
        var two = Solve<ExplicitErgodicGame2D>(new PeriodicGrid(N2, N2), output, $"2-D, {N2} × {N2}");
        output.WriteLine();
        TextTable.Write(
            output,
            ["grid", "Newton its", "‖R‖∞", "λ", "λ exact", "max |u − u*|", "max |m − m*|", "s"],
            [Row(one, $"{N1}"), Row(two, $"{N2}²")]);

        var x = Enumerable.Range(0, N1).Select(i => (double)i / N1).ToArray();
        Plots.SaveLines(
            Path.Combine(arguments.OutputDirectory, Plot1D),
            $"Ergodic MFG, 1-D, N = {N1}: u and m, Newton and exact (the curves coincide)",
            "x",
            "u, m",
            [
                new PlotSeries("m (Newton)", x, one.Solution.M),
                new PlotSeries("m exact", x, x.Select(a => ExplicitErgodic.M([a])).ToArray()),
                new PlotSeries("u (Newton)", x, one.Solution.U),
                new PlotSeries("u exact", x, x.Select(a => ExplicitErgodic.U([a])).ToArray()),
            ],
            logY: false);
        var heat = new double[N2, N2];
        for (int g = 0; g < N2 * N2; g++)
        {
            heat[g / N2, g % N2] = two.Solution.M[g];
        }

        Plots.SaveHeatmap(Path.Combine(arguments.OutputDirectory, Plot2D), $"Ergodic MFG, 2-D, {N2} × {N2}: the density m", heat, "m");
        var result = new ErgodicResult(
            [Summary(one, 1, N1), Summary(two, 2, N2)],
            one.Solution.U,
            one.Solution.M,
            two.Solution.M);
        string sha = ResultFile.Write(Path.Combine(arguments.OutputDirectory, ResultFileName), Name, result);
        output.WriteLine();
        output.WriteLine($"wrote {Path.Combine(arguments.OutputDirectory, Plot1D)}, {Plot2D} and {ResultFileName} (sha256 {sha[..12]}…)");
        return 0;
    }

    private static Solved Solve<TGame>(PeriodicGrid grid, TextWriter output, string label)
        where TGame : struct, IGameModel<TGame>
    {
        output.WriteLine();
        output.WriteLine($"{label}: Newton from u = 0, m = 1, λ = 0");
        var progress = new MeanField.Samples.SynchronousProgress<NewtonProgress>(p => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  iteration {p.Iteration,2}  ‖R‖∞ = {p.ResidualNorm:0.000E+00}  step {p.StepLength:G3}")));
        var clock = Stopwatch.StartNew();
        ErgodicSolution solution = new ErgodicSolver<TGame>(grid, new NewtonOptions { Progress = progress }).Solve();
        double seconds = clock.Elapsed.TotalSeconds;
        var (eu, em, _, _) = ErgodicReference.Errors(solution); // the exact solution of specs/mfg.md §5, shared with the tests
        return new Solved(solution, ExplicitErgodic.Lambda(grid.Dimension), eu, em, seconds);
    }

    private static string[] Row(Solved s, string grid) =>
    [
        grid,
        s.Solution.Iterations.ToString(CultureInfo.InvariantCulture),
        s.Solution.ResidualNorm.ToString("0.0E+00", CultureInfo.InvariantCulture),
        s.Solution.Lambda.ToString("F6", CultureInfo.InvariantCulture),
        s.LambdaExact.ToString("F6", CultureInfo.InvariantCulture),
        s.ErrorU.ToString("0.00E+00", CultureInfo.InvariantCulture),
        s.ErrorM.ToString("0.00E+00", CultureInfo.InvariantCulture),
        s.Seconds.ToString("F3", CultureInfo.InvariantCulture),
    ];

    private static ErgodicRun Summary(Solved s, int dimension, int n) =>
        new(dimension, n, s.Solution.Iterations, s.Solution.ResidualNorm, s.Solution.Lambda, s.LambdaExact, s.ErrorU, s.ErrorM, s.Solution.Mass, s.Solution.MinDensity, s.Seconds);

    private sealed record Solved(ErgodicSolution Solution, double LambdaExact, double ErrorU, double ErrorM, double Seconds);

}

/// <summary>One solve of the sample's result.</summary>
public sealed record ErgodicRun(int Dimension, int N, int Iterations, double Residual, double Lambda, double LambdaExact, double ErrorU, double ErrorM, double Mass, double MinDensity, double Seconds);

/// <summary>The sample's JSON payload: both solves, the 1-D u and m, the 2-D m (row-major, x fastest).</summary>
public sealed record ErgodicResult(ErgodicRun[] Runs, double[] U1D, double[] M1D, double[] M2D);

using System.Diagnostics;
using System.Globalization;
using MeanField;
using MeanField.Models;
using MeanField.Runtime.Tests.Pde;
using MeanField.Samples;

namespace MfgSample;

/// <summary>
/// `crowd`: the crowd-trading game (Cardaliaguet–Lehalle 2018; specs/mfg.md §5.3), <see cref="CrowdTradingGame"/> from
/// src/Models, whose H reads the crowd's mean trading rate μ(t), solved by the damped fixed point
/// <see cref="FiniteHorizonFictitiousPlaySolver{TGame}"/> (θ = ½, to ‖R‖_∞ ≤ 10⁻⁹; §11.2) on N = 5·N_t inventory nodes
/// (h = Δt) and N_t time steps (default 200; <c>--steps</c>): the iteration's progress, a table of the mean
/// inventory E(t) and rate μ(t) against the Riccati/ODE reference (MathNet RK4), a plot of both, a heat map of the
/// inventory density m(t, q), and a checksummed JSON result.
/// </summary>
public static class CrowdApp
{
    /// <summary>The sample's name (usage line, result kind, default folder).</summary>
    public const string Name = "mfg-crowd";

    /// <summary>E(t) and μ(t) against the reference.</summary>
    public const string PlotMeans = "mfg-crowd-means.png";

    /// <summary>The density m(t, q).</summary>
    public const string PlotDensity = "mfg-crowd-density.png";

    /// <summary>The JSON result.</summary>
    public const string ResultFileName = "mfg-crowd.json";

    /// <summary>Time steps unless <c>--steps</c> says otherwise.</summary>
    public const int DefaultSteps = 200;

    /// <summary>The most time steps (an iteration costs O(N_t·N) = O(N_t²); 1000 steps take about 80 s).</summary>
    public const int MaxSteps = 1000;

    /// <summary>Runs the sample with its command line (after <c>crowd</c>).</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
        => SampleHost.Run(Name, args, new SampleArguments(DefaultSteps, 1, SampleHost.DefaultOutputDirectory(Name), 0), SampleOptions.Steps | SampleOptions.Out, output, error, a => Body(a, output, error));

    private static int Body(SampleArguments arguments, TextWriter output, TextWriter error)
    {
        int steps = arguments.Steps;
        if (steps > MaxSteps)
        {
            error.WriteLine($"--steps {steps}: at most {MaxSteps} (each iteration costs O(N_t²) with N = 5·N_t nodes)");
            return SampleHost.BadArguments;
        }

        int n = 5 * steps;
        Directory.CreateDirectory(arguments.OutputDirectory);
        output.WriteLine($"Crowd trading: H = p²/(4κ) + αqμ − φq², u(T) = Aq², κ = {CrowdTradingGame.Kappa}, α = {CrowdTradingGame.Alpha}, φ = {CrowdTradingGame.Phi}, A = {CrowdTradingGame.TerminalPenalty}, T = {CrowdTradingGame.Horizon}, m₀ = N({CrowdTradingGame.InitialMean}, {CrowdTradingGame.InitialSpread}²)");
        output.WriteLine($"N = {n} inventory nodes on q ∈ [{-CrowdTradingGame.Offset}, {CrowdTradingGame.Length - CrowdTradingGame.Offset}), N_t = {steps} implicit Euler steps; damped fixed point (θ = ½) from M̄ = m₀, μ̄ = 0");
        var progress = new MeanField.Samples.SynchronousProgress<FictitiousPlayProgress>(p => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  iteration {p.Iteration,2}  ‖R‖∞ = {p.ResidualNorm:0.000E+00}  HJB Newton steps {p.HjbIterations}")));
        var grid = new PeriodicGrid(n, CrowdTradingGame.Length);
        var clock = Stopwatch.StartNew();
        var options = new FictitiousPlayOptions { Damping = 0.5, Tolerance = 1e-9, Progress = progress };
        FiniteHorizonSolution solution = new FiniteHorizonFictitiousPlaySolver<CrowdTradingGame>(grid, CrowdTradingGame.Horizon, steps, options).Solve();
        double seconds = clock.Elapsed.TotalSeconds;

        var reference = new CrowdTradingReference(CrowdTradingGame.Kappa, CrowdTradingGame.Alpha, CrowdTradingGame.Phi, CrowdTradingGame.TerminalPenalty, CrowdTradingGame.Horizon, CrowdTradingGame.InitialMean);
        var (time, meanRef, rateRef, _) = reference.Solve(steps);
        double[] mean = CrowdTradingReference.MeanInventory(solution, CrowdTradingGame.Offset);

        // μ^k is the rate of the step from t_k to t_{k+1} (implicit Euler: compared at t_{k+1}).
        double[] rate = solution.MeanControl!;
        double meanError = mean.Zip(meanRef, (a, b) => Math.Abs(a - b)).Max();
        double rateError = Enumerable.Range(0, steps).Max(k => Math.Abs(rate[k] - rateRef[k + 1]));
        output.WriteLine();
        var rows = new List<string[]>();
        for (int k = 0; k <= steps; k += Math.Max(1, steps / 8))
        {
            rows.Add(
            [
                time[k].ToString("F3", CultureInfo.InvariantCulture),
                mean[k].ToString("F5", CultureInfo.InvariantCulture),
                meanRef[k].ToString("F5", CultureInfo.InvariantCulture),
                k == 0 ? "" : rate[k - 1].ToString("F5", CultureInfo.InvariantCulture),
                rateRef[k].ToString("F5", CultureInfo.InvariantCulture),
            ]);
        }

        TextTable.Write(output, ["t", "E (PDE)", "E (Riccati)", "μ (PDE)", "μ (Riccati)"], rows);
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{solution.Iterations} iterations, ‖R‖∞ = {solution.ResidualNorm:0.0E+00}, {seconds:F2} s; max |E − E_ref| = {meanError:0.00E+00}, max |μ − μ_ref| = {rateError:0.00E+00} (first order in h and Δt)"));

        Plots.SaveLines(
            Path.Combine(arguments.OutputDirectory, PlotMeans),
            $"Crowd trading, N = {n}, N_t = {steps}: mean inventory and trading rate",
            "t",
            "E, μ",
            [
                new PlotSeries("E (PDE)", time, mean),
                new PlotSeries("E (Riccati, RK4)", time, meanRef),
                new PlotSeries("μ (PDE)", time[1..], rate),
                new PlotSeries("μ (Riccati, RK4)", time, rateRef),
            ],
            logY: false);
        var heat = new double[steps + 1, n];
        for (int k = 0; k <= steps; k++)
        {
            for (int g = 0; g < n; g++)
            {
                heat[k, g] = solution.M[(k * n) + g];
            }
        }

        Plots.SaveHeatmap(Path.Combine(arguments.OutputDirectory, PlotDensity), $"Crowd trading: m(t, q), t = 0 … {CrowdTradingGame.Horizon} upward, q = {-CrowdTradingGame.Offset} … {CrowdTradingGame.Length - CrowdTradingGame.Offset} across", heat, "m");
        var result = new CrowdResult(n, steps, solution.Iterations, solution.ResidualNorm, solution.MassDefect, solution.MinDensity, meanError, rateError, seconds, time, mean, meanRef, rate, rateRef, solution.M);
        string sha = ResultFile.Write(Path.Combine(arguments.OutputDirectory, ResultFileName), Name, result);
        output.WriteLine($"wrote {Path.Combine(arguments.OutputDirectory, PlotMeans)}, {PlotDensity} and {ResultFileName} (sha256 {sha[..12]}…)");
        return 0;
    }

}

/// <summary>
/// The crowd sample's JSON payload: sizes, the iteration's outcome, the errors against the reference, E and μ with the
/// reference's (μ^k for the step from t_k to t_{k+1}, N_t values), and M, (N_t + 1) × N, time-major.
/// </summary>
public sealed record CrowdResult(
    int N,
    int TimeSteps,
    int Iterations,
    double Residual,
    double MassDefect,
    double MinDensity,
    double MeanError,
    double RateError,
    double Seconds,
    double[] Time,
    double[] MeanInventory,
    double[] MeanInventoryReference,
    double[] Rate,
    double[] RateReference,
    double[] Density);

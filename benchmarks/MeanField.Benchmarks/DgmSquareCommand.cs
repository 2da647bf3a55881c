using System.Diagnostics;
using System.Globalization;
using MeanField.Dgm;
using MeanField.Models;

namespace MeanField.Benchmarks;

/// <summary>
/// <c>-- dgm-m2</c>: trains the example without an explicit solution in d = 30 (<see cref="SquareCouplingGame30D"/>,
/// coupling m², specs/dgm.md §6.5) with the public <see cref="ErgodicDgmTrainer{TGame}"/> and prints, every
/// <c>--every</c> steps, the HJB and Fokker–Planck residual norms (root mean square over the batch) and their fall from
/// the first step's, λ, and the training time; at the end, the 30 one-dimensional marginals of m (the mean of m over
/// uniform points whose k-th coordinate falls in each of <c>--bins</c> bins), which the game's symmetry makes equal: their
/// largest spread across k, against the Monte-Carlo standard error of one bin's mean; and their mean against the
/// finite-difference solution of the same game in d = 1 (specs/mfg.md §5.2), which it approaches where the coupling
/// between the coordinates is weak (<c>--c 0.02</c>: <see cref="WeakSquareCouplingGame30D"/>). With
/// <c>--checkpoint PATH</c> the training state is saved (specs/dgm.md §5.3) at every row; <c>--resume PATH</c> continues
/// such a run with the same options (the falls are still measured from the first step's norms, recomputed from the same
/// seed's initial networks).
/// </summary>
internal static class DgmSquareCommand
{
    public static Dictionary<string, string> Defaults() => new()
    {
        ["width"] = "64", ["depth"] = "2", ["batch"] = "512", ["steps"] = "5000", ["every"] = "250", ["lr"] = "1e-3",
        ["lr-lambda"] = "1e-2", ["lr-final"] = "1e-4", ["seed"] = "0", ["threads"] = "2", ["marginal-points"] = "20000", ["bins"] = "10",
        ["density-fraction"] = "0", ["eval-points"] = "0", ["normalisation-average"] = "1",
        ["c"] = "0.1", ["fd-nodes"] = "1000", ["marginal-grid"] = "50", ["shared-points"] = "400", ["checkpoint"] = "", ["resume"] = "",
    };

    public static int Run(string[] args, TextWriter output)
    {
        var options = Defaults();
        if (!CommandOptions.TryRead("dgm-m2", args, options))
        {
            return 2;
        }

        // The amplitude c picks the declared games (a model's constants are compile-time): 0.1 or 0.02.
        return options["c"] switch
        {
            "0.1" => Run<SquareCouplingGame30D, SquareCouplingGame1D>(options, SquareCouplingGame30D.C, output),
            "0.02" => Run<WeakSquareCouplingGame30D, WeakSquareCouplingGame1D>(options, WeakSquareCouplingGame30D.C, output),
            _ => Refuse($"--c must be 0.1 (SquareCouplingGame30D) or 0.02 (WeakSquareCouplingGame30D); got {options["c"]}"),
        };
    }

    private static int Refuse(string message)
    {
        Console.Error.WriteLine($"dgm-m2: {message}");
        return 2;
    }

    private static int Run<TGame, TGame1D>(Dictionary<string, string> options, double c, TextWriter output)
        where TGame : struct, IGameResiduals<TGame>, IGameModel<TGame>
        where TGame1D : struct, IGameModel<TGame1D>
    {
        try
        {
            int Int(string key) => int.Parse(options[key], CultureInfo.InvariantCulture);
            double Real(string key) => double.Parse(options[key], CultureInfo.InvariantCulture);
            int steps = Int("steps"), every = Int("every"), points = Int("marginal-points"), bins = Int("bins");
            double lr = Real("lr"), lrFinal = Real("lr-final");
            if (steps < 1 || every < 1 || bins < 2 || points < 10 * bins || lrFinal <= 0 || lr <= 0)
            {
                throw new ArgumentException("--steps, --every, --lr, --lr-final must be positive, --bins ≥ 2 and --marginal-points ≥ 10 × bins");
            }

            int nodes = Int("fd-nodes"), grid = Int("marginal-grid"), shared = Int("shared-points");
            if (grid < 2 || nodes < grid || nodes % grid != 0 || shared < 1)
            {
                throw new ArgumentException($"--marginal-grid must be ≥ 2 and divide --fd-nodes, and --shared-points ≥ 1; got {grid}, {nodes}, {shared}");
            }

            var trainer = new ErgodicDgmTrainer<TGame>(
                Int("width"), Int("depth"), Int("batch"), ulong.Parse(options["seed"], CultureInfo.InvariantCulture), lr, Real("lr-lambda"),
                Math.Pow(lrFinal / lr, 1.0 / steps), Int("threads"), densityFraction: Real("density-fraction"), normalisationAverage: Real("normalisation-average"));
            int d = trainer.Dimension;

            // --eval-points N: the rows' norms on N fixed uniform points (ResidualNorms) instead of the step's batch, which
            // with density chains is not uniform.
            int evalCount = Int("eval-points");
            if (evalCount < 0)
            {
                throw new ArgumentException($"--eval-points must be ≥ 0 (0: the batch's norms); got {evalCount}");
            }

            var evalPoints = new double[evalCount * d];
            ulong evalKey = CounterRandom.StreamKey(0x5EED_E7A2, 0);
            for (int i = 0; i < evalPoints.Length; i++)
            {
                evalPoints[i] = CounterRandom.Uniform(evalKey, (ulong)i) % 1.0;
            }

            (double Hjb, double Fp) Norms(bool row) => evalCount > 0 && row ? trainer.ResidualNorms(evalPoints) : (Math.Sqrt(trainer.HjbLoss), Math.Sqrt(trainer.FokkerPlanckLoss));
            string sampling = (trainer.DensityFraction > 0 ? string.Create(CultureInfo.InvariantCulture, $", {trainer.DensityFraction:G3} of each batch from density chains") : "")
                + (trainer.NormalisationAverage < 1 ? string.Create(CultureInfo.InvariantCulture, $", Z averaged over batches (weight {trainer.NormalisationAverage:G3})") : "")
                + (evalCount > 0 ? $", norms on {evalCount} fixed uniform points" : "");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"dgm-m2: d = {d}, H = ½|p|² − 2π²c Σ(sin 2πx_i + cos 2πx_i) − m², c = {c}, ν = ½; two networks {2 * d} → {string.Join(" → ", Enumerable.Repeat(options["width"], Int("depth")))} → 1, "
                + $"batch {options["batch"]}, Adam {lr:G3} → {lrFinal:G3} over {steps} steps, seed {options["seed"]}, {trainer.Threads} thread(s){sampling}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
            double hjb0 = 0, fp0 = 0;
            string checkpoint = options["checkpoint"], resume = options["resume"];
            int first = 1;
            if (resume.Length > 0)
            {
                // The first step's norms (the falls' reference) from the same seed's first step, then the saved state: the
                // checkpoint refuses another configuration, naming what differs.
                trainer.Step();
                (hjb0, fp0) = Norms(true);
                trainer.LoadCheckpoint(resume);
                first = trainer.Steps + 1;
                output.WriteLine($"resumed from {resume} at step {trainer.Steps} (train s counts this run only)");
            }

            output.WriteLine();
            output.WriteLine("| steps | train s | ‖R_HJB‖ | ‖R_FP/m‖ | ‖R_HJB‖ fall | ‖R_FP/m‖ fall | λ |");
            output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
            double seconds = 0;
            var clock = Stopwatch.StartNew();
            for (int step = first; step <= steps; step++)
            {
                long start = Stopwatch.GetTimestamp();
                trainer.Step();
                seconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
                bool row = step == 1 || step % every == 0 || step == steps;
                var (hjb, fp) = Norms(row);
                if (step == 1)
                {
                    (hjb0, fp0) = (hjb, fp);
                }

                if (row && checkpoint.Length > 0)
                {
                    trainer.SaveCheckpoint(checkpoint); // checksummed, written safely: a stopped run resumes from here
                }

                if (clock.Elapsed.TotalSeconds >= 5)
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  step {step}/{steps}, {seconds:F1} s, ‖R_HJB‖ {hjb:0.00e+00}, ‖R_FP/m‖ {fp:0.00e+00}, λ {trainer.Lambda:F4}"));
                    clock.Restart();
                }

                if (row)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {step} | {seconds:F1} | {hjb:0.00e+00} | {fp:0.00e+00} | {hjb0 / hjb:F1}× | {fp0 / fp:F1}× | {trainer.Lambda:F5} |"));
                }
            }

            Marginals(trainer, points, bins, output);
            AgainstFiniteDifferences<TGame, TGame1D>(trainer, c, nodes, grid, shared, output);
            return 0;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"dgm-m2: {e.Message}");
            return 2;
        }
    }

    /// <summary>The one-dimensional marginals of m on uniform points (their own counter-based stream) and their spread across the coordinates.</summary>
    private static void Marginals<TGame>(ErgodicDgmTrainer<TGame> trainer, int count, int bins, TextWriter output)
        where TGame : struct, IGameResiduals<TGame>, IGameModel<TGame>
    {
        int d = trainer.Dimension;
        var x = new double[count * d];
        ulong key = CounterRandom.StreamKey(0x3A26_1A15, 0);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = CounterRandom.Uniform(key, (ulong)i) % 1.0;
        }

        double[] u = new double[count], m = new double[count];
        trainer.Solution(x, u, m);
        var sums = new double[d, bins];
        var counts = new int[d, bins];
        for (int p = 0; p < count; p++)
        {
            for (int k = 0; k < d; k++)
            {
                int b = Math.Min(bins - 1, (int)(x[(p * d) + k] * bins));
                sums[k, b] += m[p];
                counts[k, b]++;
            }
        }

        double mean = m.Average(), variance = m.Sum(v => (v - mean) * (v - mean)) / (count - 1);
        double standardError = Math.Sqrt(variance / (count / (double)bins));
        double spread = 0, amplitude = 0;
        var axis0 = new double[bins];
        for (int b = 0; b < bins; b++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity, all = 0;
            for (int k = 0; k < d; k++)
            {
                double value = sums[k, b] / counts[k, b];
                lo = Math.Min(lo, value);
                hi = Math.Max(hi, value);
                all += value / d;
            }

            axis0[b] = sums[0, b] / counts[0, b];
            spread = Math.Max(spread, hi - lo);
            amplitude = Math.Max(amplitude, Math.Abs(all - 1));
        }

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"marginals of m over {count} uniform points, {bins} bins per coordinate: largest spread across the {d} coordinates {spread:0.000e+00}, "
            + $"one bin's Monte-Carlo standard error {standardError:0.000e+00}, largest deviation of the mean marginal from 1 {amplitude:0.000e+00}"));
        output.WriteLine("axis 0: " + string.Join(" ", axis0.Select(v => v.ToString("F4", CultureInfo.InvariantCulture))));
    }

    /// <summary>
    /// The marginal of m against the finite-difference solution of the same game in d = 1 (<c>ErgodicSolver</c>, N nodes):
    /// for each axis k, m at G grid values of x_k beside S uniform points shared by every grid value (common random
    /// numbers: the other coordinates' factor of m cancels in the shape), averaged over the S points and normalised to mean
    /// 1 over the grid; then the mean over the d axes (the game's symmetry makes them equal). Prints the largest difference,
    /// the L2 difference relative to the finite-difference solution's deviation from 1, both deviations' amplitudes, the
    /// axes' spread, and ten of the points.
    /// </summary>
    private static void AgainstFiniteDifferences<TGame, TGame1D>(ErgodicDgmTrainer<TGame> trainer, double c, int nodes, int grid, int shared, TextWriter output)
        where TGame : struct, IGameResiduals<TGame>, IGameModel<TGame>
        where TGame1D : struct, IGameModel<TGame1D>
    {
        int d = trainer.Dimension;
        ErgodicSolution reference = new ErgodicSolver<TGame1D>(new PeriodicGrid(nodes), null).Solve();
        var y = new double[shared * d];
        ulong key = CounterRandom.StreamKey(0x4D41_5247, 0);
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = CounterRandom.Uniform(key, (ulong)i) % 1.0;
        }

        var x = new double[grid * shared * d];
        double[] u = new double[grid * shared], m = new double[grid * shared];
        var axes = new double[d, grid];
        var mean = new double[grid];
        for (int k = 0; k < d; k++)
        {
            for (int g = 0; g < grid; g++)
            {
                for (int j = 0; j < shared; j++)
                {
                    int p = (g * shared) + j;
                    y.AsSpan(j * d, d).CopyTo(x.AsSpan(p * d, d));
                    x[(p * d) + k] = g / (double)grid;
                }
            }

            trainer.Solution(x, u, m);
            double total = 0;
            for (int g = 0; g < grid; g++)
            {
                double sum = 0;
                for (int j = 0; j < shared; j++)
                {
                    sum += m[(g * shared) + j];
                }

                axes[k, g] = sum / shared;
                total += axes[k, g];
            }

            for (int g = 0; g < grid; g++)
            {
                axes[k, g] /= total / grid;
                mean[g] += axes[k, g] / d;
            }
        }

        double largest = 0, difference = 0, deviation = 0, amplitudeFd = 0, amplitudeDgm = 0, spread = 0;
        for (int g = 0; g < grid; g++)
        {
            double fd = reference.M[g * (nodes / grid)];
            largest = Math.Max(largest, Math.Abs(mean[g] - fd));
            difference += (mean[g] - fd) * (mean[g] - fd);
            deviation += (fd - 1) * (fd - 1);
            amplitudeFd = Math.Max(amplitudeFd, Math.Abs(fd - 1));
            amplitudeDgm = Math.Max(amplitudeDgm, Math.Abs(mean[g] - 1));
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int k = 0; k < d; k++)
            {
                lo = Math.Min(lo, axes[k, g]);
                hi = Math.Max(hi, axes[k, g]);
            }

            spread = Math.Max(spread, hi - lo);
        }

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"marginal of m against the d = 1 finite-difference solution (c = {c}, {nodes} nodes, λ₁ = {reference.Lambda:F5}): each axis on {grid} points beside {shared} shared uniform points, "
            + $"the mean over the {d} axes: largest difference {largest:0.000e+00}, L2 difference / FD deviation from 1 {Math.Sqrt(difference / deviation):0.000e+00}, "
            + $"deviation amplitude FD {amplitudeFd:0.000e+00}, DGM {amplitudeDgm:0.000e+00}, largest spread across the axes {spread:0.000e+00}"));
        int stride = Math.Max(1, grid / 10);
        output.WriteLine("x:   " + string.Join(" ", Enumerable.Range(0, grid).Where(g => g % stride == 0).Select(g => (g / (double)grid).ToString("F4", CultureInfo.InvariantCulture))));
        output.WriteLine("DGM: " + string.Join(" ", Enumerable.Range(0, grid).Where(g => g % stride == 0).Select(g => mean[g].ToString("F4", CultureInfo.InvariantCulture))));
        output.WriteLine("FD:  " + string.Join(" ", Enumerable.Range(0, grid).Where(g => g % stride == 0).Select(g => reference.M[g * (nodes / grid)].ToString("F4", CultureInfo.InvariantCulture))));
    }
}

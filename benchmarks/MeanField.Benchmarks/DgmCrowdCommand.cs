using System.Diagnostics;
using System.Globalization;
using MeanField.Dgm;
using MeanField.Models;
using MeanField.Runtime.Tests.Pde;

namespace MeanField.Benchmarks;

/// <summary>
/// <c>-- dgm-crowd</c>: trains the crowd-trading game (<see cref="CrowdTradingGame"/>, specs/mfg.md §5.3) with the
/// finite-horizon Deep Galerkin trainer on the inventory box [0, L] (plain embedding, μ(t) estimated on the batch's time
/// slices; specs/dgm.md §5.7) and prints, every <c>--every</c> steps, the losses and the largest errors of the mean
/// inventory E(t) = ∫ q m dq and the mean trading rate μ(t) against the Riccati reference (MathNet's RK4), then the two
/// curves against the reference at t = 0, 0.1, …, T.
/// </summary>
internal static class DgmCrowdCommand
{
    public static Dictionary<string, string> Defaults() => new()
    {
        ["width"] = "32", ["depth"] = "2", ["batch"] = "512", ["steps"] = "20000", ["every"] = "2000", ["lr"] = "1e-3",
        ["lr-final"] = "1e-3", ["initial-weight"] = "10", ["seed"] = "1", ["threads"] = "2",
    };

    public static int Run(string[] args, TextWriter output)
    {
        var options = Defaults();
        if (!CommandOptions.TryRead("dgm-crowd", args, options))
        {
            return 2;
        }

        try
        {
            int Int(string key) => int.Parse(options[key], CultureInfo.InvariantCulture);
            double Real(string key) => double.Parse(options[key], CultureInfo.InvariantCulture);
            int steps = Int("steps"), every = Int("every");
            double lr = Real("lr"), lrFinal = Real("lr-final");
            if (steps < 1 || every < 1 || !(lrFinal > 0) || !(lr > 0))
            {
                throw new ArgumentException("--steps, --every, --lr and --lr-final must be positive");
            }

            var trainer = new FiniteHorizonDgmTrainer<CrowdTradingGame>(
                CrowdTradingGame.Horizon, Int("width"), Int("depth"), Int("batch"), ulong.Parse(options["seed"], CultureInfo.InvariantCulture),
                initialWeight: Real("initial-weight"), learningRate: lr, decay: Math.Pow(lrFinal / lr, 1.0 / steps), threads: Int("threads"),
                length: CrowdTradingGame.Length, periodic: false);
            var reference = new CrowdTradingReference(CrowdTradingGame.Kappa, CrowdTradingGame.Alpha, CrowdTradingGame.Phi, CrowdTradingGame.TerminalPenalty, CrowdTradingGame.Horizon, CrowdTradingGame.InitialMean);
            (double[] time, double[] mean, double[] rate, _) = reference.Solve(100);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"dgm-crowd: crowd trading (κ = α = A = T = E₀ = 1, φ = 0.1, ε = 0.01), q = x − {CrowdTradingGame.Offset} on the box [0, {CrowdTradingGame.Length}]; two networks 2 → {string.Join(" → ", Enumerable.Repeat(options["width"], Int("depth")))} → 1 (x, t), "
                + $"batch {options["batch"]} ({Int("batch") / FiniteHorizonDgmTrainer<CrowdTradingGame>.SlicePoints} time slices) + 2 × {trainer.BoundaryBatch}, w₀ = {options["initial-weight"]}, Adam {lr:G3} → {lrFinal:G3} over {steps} steps, seed {options["seed"]}, {trainer.Threads} thread(s); {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
            output.WriteLine();
            output.WriteLine("| steps | train s | HJB | FP | terminal | initial | max\\|E − E_ref\\| | max\\|μ − μ_ref\\| |");
            output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
            double seconds = 0;
            var clock = Stopwatch.StartNew();
            for (int step = 1; step <= steps; step++)
            {
                long start = Stopwatch.GetTimestamp();
                trainer.Step();
                seconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
                if (clock.Elapsed.TotalSeconds >= 5)
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  step {step}/{steps}, {seconds:F1} s, HJB {trainer.HjbLoss:0.00e+00}, FP {trainer.FokkerPlanckLoss:0.00e+00}"));
                    clock.Restart();
                }

                if (step % every == 0 || step == steps)
                {
                    (double e, double mu, _, _) = CrowdTradingReference.CompareDgm(trainer, time, mean, rate);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {step} | {seconds:F1} | {trainer.HjbLoss:0.00e+00} | {trainer.FokkerPlanckLoss:0.00e+00} | {trainer.TerminalLoss:0.00e+00} | {trainer.InitialLoss:0.00e+00} | {e:0.000e+00} | {mu:0.000e+00} |"));
                }
            }

            (_, _, double[] e1, double[] mu1) = CrowdTradingReference.CompareDgm(trainer, time, mean, rate);
            output.WriteLine();
            output.WriteLine("| t | E | E_ref | μ | μ_ref |");
            output.WriteLine("|---:|---:|---:|---:|---:|");
            for (int k = 0, i = 0; k < time.Length; k += 10, i++)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {time[k]:F1} | {e1[i]:F4} | {mean[k]:F4} | {mu1[i]:F4} | {rate[k]:F4} |"));
            }

            return 0;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            Console.Error.WriteLine($"dgm-crowd: {e.Message}");
            return 2;
        }
    }
}

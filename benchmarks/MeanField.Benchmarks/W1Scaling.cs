using System.Diagnostics;
using System.Globalization;
using MeanField.Benchmarks.Peers;
using MeanField.Models;

namespace MeanField.Benchmarks;

/// <summary>
/// `-- scaling`: the cost of one W1 step of the tanh network (<see cref="GradientFlow{TModel}.Step"/>) against n, L and
/// d, each doubled <c>--points</c> times from the base shape with the other two fixed; per variable the fitted exponent
/// (least squares of log time on log size; O(L·n·d) predicts 1 each, less where fixed costs per step still show).
/// Time per shape: the median of <c>--steps</c> timed steps after <c>--warmup</c> untimed ones, the process first warmed up
/// by a second of base-shape steps.
/// </summary>
internal static class W1Scaling
{
    /// <summary>The default options.</summary>
    public static Dictionary<string, string> Defaults() => new()
    {
        ["L"] = "1024", ["d"] = "32", ["n"] = "1024", ["points"] = "4", ["threads"] = "2", ["steps"] = "11", ["warmup"] = "3",
    };

    /// <summary>Runs the sweep and prints the table; returns the exit code.</summary>
    public static int Run(IReadOnlyDictionary<string, string> options, TextWriter output)
    {
        int Int(string key) => int.Parse(options[key], CultureInfo.InvariantCulture);
        int points = Int("points");
        if (points < 2)
        {
            Console.Error.WriteLine("--points must be at least 2 (a fit needs two sizes).");
            return 2;
        }

        output.WriteLine($"W1 step (tanh, GradientFlow, {Int("threads")} threads), base L = {Int("L")}, d = {Int("d")}, n = {Int("n")}; median of {Int("steps")} steps");
        output.WriteLine();
        output.WriteLine("| variable |      L |    d |      n |  median ms | GFLOP/s (4·L·n·d) |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        var exponents = new List<(string Variable, double Exponent)>();

        // Warm the process up first (tiered JIT: the first steps run unoptimised code, which would slow the first point).
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < WarmUpSeconds)
        {
            MedianStep(Int("L"), Int("d"), Int("n"), Int("threads"), 1, 1);
        }

        foreach (string variable in new[] { "n", "L", "d" })
        {
            var sizes = new List<double>();
            var times = new List<double>();
            for (int k = 0; k < points; k++)
            {
                int scale = 1 << k;
                int samples = Int("L") * (variable == "L" ? scale : 1);
                int dimension = Int("d") * (variable == "d" ? scale : 1);
                int particles = Int("n") * (variable == "n" ? scale : 1);
                double seconds = MedianStep(samples, dimension, particles, Int("threads"), Int("steps"), Int("warmup"));
                sizes.Add(variable switch { "n" => particles, "L" => samples, _ => dimension });
                times.Add(seconds);
                double gflops = W1Flops.PerStep(samples, dimension, particles) / seconds / 1e9;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {variable} | {samples,6} | {dimension,4} | {particles,6} | {seconds * 1e3,10:F3} | {gflops,17:F1} |"));
            }

            exponents.Add((variable, Exponent(sizes, times)));
        }

        output.WriteLine();
        output.WriteLine("| variable | fitted exponent (time ∝ size^k) |");
        output.WriteLine("|---|---:|");
        foreach (var (variable, exponent) in exponents)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {variable} | {exponent:F3} |"));
        }

        return 0;
    }

    /// <summary>Seconds of base-shape steps before the sweep (tests set it to zero).</summary>
    public static double WarmUpSeconds { get; set; } = 1.0;

    /// <summary>The least-squares slope of log time on log size.</summary>
    public static double Exponent(IReadOnlyList<double> sizes, IReadOnlyList<double> times)
    {
        if (sizes.Count != times.Count || sizes.Count < 2)
        {
            throw new ArgumentException("need at least two (size, time) points");
        }

        double mx = sizes.Average(Math.Log);
        double my = times.Average(Math.Log);
        double sxy = 0, sxx = 0;
        for (int k = 0; k < sizes.Count; k++)
        {
            double dx = Math.Log(sizes[k]) - mx;
            sxy += dx * (Math.Log(times[k]) - my);
            sxx += dx * dx;
        }

        return sxy / sxx;
    }

    private static double MedianStep(int samples, int dimension, int particles, int threads, int steps, int warmup)
    {
        var (flow, step) = W1StepBenchmarks.Create<TanhNetwork>(samples, dimension, particles, threads);
        using (flow)
        {
            return Throughput.StepTimer.Median(Throughput.StepTimer.Seconds(warmup, steps, () => step()));
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using MeanField.Models;

namespace MeanField.Benchmarks;

/// <summary>
/// Issue 10's performance workload: the whole ergodic Newton solve (assembly, factorisations, line search, from
/// U = 0, M = 1, Λ = 0 to ‖R‖ ≤ 10⁻¹⁰) of the generated explicit game (<see cref="ExplicitErgodicGame"/>, the SciPy peer
/// <c>w2_mfg.py</c>'s problem), against the grid size: 1-D N = 1000 … 10⁴ and 2-D N × N.
/// </summary>
[MemoryDiagnoser]
public class MfgBenchmarks
{
    /// <summary>Grid points per axis.</summary>
    [Params(1000, 4000, 10000)]
    public int N { get; set; } = 1000;

    /// <summary>The whole 1-D solve.</summary>
    [Benchmark]
    public double ErgodicNewtonSolve() => Solve(N, 1).Lambda;

    /// <summary>One solve of the explicit game on an N-point (1-D) or N × N (2-D) grid.</summary>
    public static ErgodicSolution Solve(int n, int dimension) => dimension == 1
        ? new ErgodicSolver<ExplicitErgodicGame>(new PeriodicGrid(n), null).Solve()
        : new ErgodicSolver<ExplicitErgodicGame2D>(new PeriodicGrid(n, n), null).Solve();

    /// <summary>
    /// `mfg --N 10000 [--d 1] [--repeats 5]`: the solve timed like the SciPy peer (median of repeats after a warm-up),
    /// one JSON line with the time, the Newton iterations, the final residual, the error of λ against the exact solution
    /// and the residual history ‖R‖_∞ per iteration (quadratic convergence shows as the exponent doubling).
    /// </summary>
    /// <summary>
    /// <c>-- mfg [--N 10000 --d 1 --repeats 5]</c>: <see cref="Command"/> with its options checked; a bad one exits 2 with a
    /// line naming it and the value given.
    /// </summary>
    internal static int Run(ReadOnlySpan<string> args, TextWriter error)
    {
        var options = new Dictionary<string, string> { ["N"] = "10000", ["d"] = "1", ["repeats"] = "5" };
        if (!CommandOptions.TryRead("mfg", args, options)
            || !CommandOptions.TryInt("mfg", options, "N", 1, error, out int n)
            || !CommandOptions.TryInt("mfg", options, "d", 1, error, out int dimension)
            || !CommandOptions.TryInt("mfg", options, "repeats", 1, error, out int repeats))
        {
            return 2;
        }

        if (dimension > 2)
        {
            error.WriteLine($"mfg: --d must be 1 or 2 (got '{options["d"]}')");
            return 2;
        }

        Command(n, dimension, repeats);
        return 0;
    }

    public static void Command(int n, int dimension, int repeats)
    {
        // Warm-up: a full-size solve in 1-D, like the peer's (its first call is its warm-up), so the timed repeats run
        // tiered-up code; in 2-D (seconds per solve, JIT time negligible) a 64² one.
        Solve(dimension == 1 ? n : Math.Min(n, 64), dimension);
        var times = new List<double>();
        ErgodicSolution? solution = null;
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            solution = Solve(n, dimension);
            times.Add(clock.Elapsed.TotalSeconds);
        }

        times.Sort();
        double lambdaExact = -dimension * Math.Log(ExplicitErgodicGame.I0OfTwoC); // λ = −d ln I₀(2c) (specs/mfg.md §5)
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"mfg_ergodic\",\"impl\":\"meanfield\",\"N\":{n},\"d\":{dimension},\"median_s\":{times[times.Count / 2]:G6},\"min_s\":{times[0]:G6},\"iterations\":{solution!.Iterations},\"residual\":{solution.ResidualNorm:G3},\"lambda_err\":{Math.Abs(solution.Lambda - lambdaExact):G3},\"residual_history\":[{string.Join(",", solution.ResidualHistory.Select(r => r.ToString("G3", CultureInfo.InvariantCulture)))}]}}"));
    }
}

/// <summary>
/// The 2-D ergodic Newton solve of <see cref="ExplicitErgodicGame2D"/> on N × N grids (the nested-dissection sparse LU
/// from 16 × 16, ≈ 10 n^{3/2} flops per factorisation; issue 10's 256 × 256 in ≤ 10 s: the `mfg --N 256 --d 2` command,
/// specs/mfg.md §10).
/// </summary>
[MemoryDiagnoser]
public class MfgBenchmarks2D
{
    /// <summary>Grid points per axis.</summary>
    [Params(32, 64, 128)]
    public int N { get; set; } = 32;

    /// <summary>The whole 2-D solve.</summary>
    [Benchmark]
    public double ErgodicNewtonSolve2D() => MfgBenchmarks.Solve(N, 2).Lambda;
}

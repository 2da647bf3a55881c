// Mean-field games (specs/mfg.md §5.1): the convergence table of the ergodic example with an explicit solution
// (Almulla–Ferreira–Gomes 2017), 1-D N = 25 … 800 and 2-D 16² … 64², solved by ErgodicSolver (Newton, banded LU).
//
//   dotnet run -c Release --project samples/Mfg -- table [--max2d 64]
//   dotnet run -c Release --project samples/Mfg -- ergodic [--out DIR]   (the generated games: plots and a JSON result)
//   dotnet run -c Release --project samples/Mfg -- crowd [--steps 40] [--out DIR]   (crowd trading against its Riccati reference)
using System.Diagnostics;
using System.Globalization;
using MeanField;
using MeanField.Runtime.Tests.Pde;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length > 0 && args[0] == "ergodic")
{
    return MfgSample.ErgodicApp.Run(args[1..], Console.Out, Console.Error);
}

if (args.Length > 0 && args[0] == "crowd")
{
    return MfgSample.CrowdApp.Run(args[1..], Console.Out, Console.Error);
}

if (args.Length == 0 || args[0] != "table")
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project samples/Mfg -- table [--max2d 64] | ergodic [--out DIR] | crowd [--steps 40] [--out DIR]");
    return 2;
}

int max2d = 64;
for (int i = 1; i < args.Length; i++)
{
    if (args[i] == "--max2d" && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int m) && m >= 8)
    {
        max2d = m;
        i++;
    }
    else
    {
        Console.Error.WriteLine($"unknown or invalid argument '{args[i]}' (known: --max2d N, N ≥ 8)");
        return 2;
    }
}

Console.WriteLine($"Ergodic MFG, explicit example: ν = ½, H = ½|p|² − f̃ − ln m, c = {ExplicitErgodic.C}; errors at the nodes; order = log₂(e_coarse / e_fine).");
Console.WriteLine();
Console.WriteLine("| d | grid | Newton its | ‖R‖∞ | err u (max) | order | err m (max) | order | err m (L1) | order | err λ | order | solve s |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
Row<ExplicitErgodic1D>(1, [25, 50, 100, 200, 400, 800], n => new PeriodicGrid(n), n => n.ToString(CultureInfo.InvariantCulture));
var sizes2d = new List<int>();
for (int n = 16; n <= max2d; n *= 2)
{
    sizes2d.Add(n);
}

Row<ExplicitErgodic2D>(2, sizes2d, n => new PeriodicGrid(n, n), n => $"{n}²");
return 0;

static void Row<TGame>(int d, IReadOnlyList<int> sizes, Func<int, PeriodicGrid> grid, Func<int, string> label)
    where TGame : struct, IGameModel<TGame>
{
    (double U, double M, double ML1, double Lambda)? previous = null;
    foreach (int n in sizes)
    {
        long start = Stopwatch.GetTimestamp();
        ErgodicSolution solution = new ErgodicSolver<TGame>(grid(n), null).Solve();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var e = ErgodicReference.Errors(solution);
        string Order(double coarse, double fine) => previous is null ? "" : Math.Log2(coarse / fine).ToString("F2", CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {d} | {label(n)} | {solution.Iterations} | {solution.ResidualNorm:E1} | {e.U:E2} | {Order(previous?.U ?? 0, e.U)} | {e.M:E2} | {Order(previous?.M ?? 0, e.M)} | {e.ML1:E2} | {Order(previous?.ML1 ?? 0, e.ML1)} | {e.Lambda:E2} | {Order(previous?.Lambda ?? 0, e.Lambda)} | {seconds:F3} |"));
        previous = e;
    }
}

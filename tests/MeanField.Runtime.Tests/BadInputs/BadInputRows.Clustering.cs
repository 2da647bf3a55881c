using System.Globalization;
using MeanField.Models;
using MeanField.Runtime.Tests.Clustering;
using MeanField.Runtime.Tests.Pde;

namespace MeanField.Runtime.Tests.BadInputs;

internal static partial class BadInputRows
{
    private static IEnumerable<BadInputRow> ClusteringRows()
    {
        const string Ctor = "MfgClustering`1..ctor(PeriodicGrid, MfgClusteringOptions)";
        yield return Row<ArgumentNullException>(Ctor, "grid null", "grid", ["grid"], w => _ = new MfgClustering<ClusteringGame>(null!, null));
        yield return Row<ArgumentException>(Ctor, "2-D grid for a 1-D game", "grid", ["grid has dimension 2", "ClusteringGame has dimension 1"], w => _ = new MfgClustering<ClusteringGame>(new PeriodicGrid(8, 8), null));
        yield return Row<ArgumentException>(Ctor, "1-D grid for a 2-D game", "grid", ["grid has dimension 1", "ClusteringGame2D has dimension 2"], w => _ = new MfgClustering<ClusteringGame2D>(new PeriodicGrid(8), null));
        yield return Row<ArgumentException>(Ctor, "game viscosity 0", "grid", ["ZeroViscosityGame.Viscosity is 0", "finite and > 0"], w => _ = new MfgClustering<ZeroViscosityGame>(new PeriodicGrid(8), null));

        const string Solve = "MfgClustering`1.Solve(ReadOnlySpan<Double>, ReadOnlySpan<Double>)";
        var grid = new PeriodicGrid(16); // h = 1/16: the positions in the messages are exact; f > 0 at nodes 5 … 10, x ∈ [0.3125, 0.625]
        double[] f = ClusteringData.Density(grid, ClusteringData.Bumps1D);
        double[] centres = [0.375, 0.5625];
        MfgClustering<ClusteringGame> Solver() => new(grid, null);
        double[] With(int g, double value)
        {
            double[] copy = (double[])f.Clone();
            copy[g] = value;
            return copy;
        }

        yield return Row<ArgumentException>(Solve, "data shorter than the grid", "data", ["data has length 15", "has 16 nodes"], w => Solver().Solve(f.AsSpan(0, 15), centres));
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, -1e-3 })
        {
            string text = bad.ToString(CultureInfo.InvariantCulture);
            yield return Row<ArgumentException>(Solve, "data[7] " + text, "data", ["data[7] is " + text, "at x = 0.4375", "finite and ≥ 0"], w => Solver().Solve(With(7, bad), centres));
        }

        yield return Row<ArgumentException>(Solve, "data zero everywhere", "data", ["data is zero at every node"], w => Solver().Solve(new double[16], centres));
        yield return Row<ArgumentException>(Solve, "data support as wide as ½", "data", ["data is positive on [0.3125, 0.8125] along axis 0", "narrower than ½"], w => Solver().Solve(With(13, 1), centres));
        yield return Row<ArgumentException>(Solve, "no centres", "initialCentres", ["initialCentres has length 0", "K ≥ 1"], w => Solver().Solve(f, []));
        yield return Row<ArgumentException>(Solve, "centres of odd length in 2-D", "initialCentres", ["initialCentres has length 3", "dimension d = 2"], w => new MfgClustering<ClusteringGame2D>(new PeriodicGrid(16, 16), null).Solve(ClusteringData.Density(new PeriodicGrid(16, 16), ClusteringData.Bumps2D), [0.4, 0.4, 0.5]));
        yield return Row<ArgumentException>(Solve, "more centres than support nodes", "initialCentres", ["K = 7 centres", "positive at only 6 nodes"], w => Solver().Solve(f, [0.32, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]));
        yield return Row<ArgumentException>(Solve, "centre NaN", "initialCentres", ["initialCentres[1] is NaN", "centre 1, axis 0", "bounding box [0.3125, 0.625]"], w => Solver().Solve(f, [0.35, double.NaN]));
        yield return Row<ArgumentException>(Solve, "centre outside the data's box", "initialCentres", ["initialCentres[0] is 0.1", "bounding box [0.3125, 0.625]"], w => Solver().Solve(f, [0.1, 0.5]));
        yield return Row<ArgumentException>(Solve, "two centres coincide", "initialCentres", ["centres 0 and 2 coincide at (0.4)", "distinct"], w => Solver().Solve(f, [0.4, 0.5, 0.4]));

        foreach (double value in new[] { -1e-9, double.NaN, double.PositiveInfinity })
        {
            string text = value.ToString(CultureInfo.InvariantCulture);
            yield return Row<ArgumentOutOfRangeException>("MfgClusteringOptions.set_Tolerance(Double)", text, "Tolerance", ["Tolerance", text], w => _ = new MfgClusteringOptions { Tolerance = value });
        }

        foreach (int value in new[] { 0, -1, int.MinValue })
        {
            string text = value.ToString(CultureInfo.InvariantCulture);
            yield return Row<ArgumentOutOfRangeException>("MfgClusteringOptions.set_MaxIterations(Int32)", text, "MaxIterations", ["MaxIterations", text], w => _ = new MfgClusteringOptions { MaxIterations = value });
        }
    }
}

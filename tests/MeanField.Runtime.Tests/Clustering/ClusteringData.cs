namespace MeanField.Runtime.Tests.Clustering;

/// <summary>
/// The data densities of the clustering tests (specs/clustering.md §5): sums of biweight bumps w(1 − |x − c|²/r²)²₊,
/// compactly supported in a box narrower than ½ (the solver's requirement), overlapping so that the cluster boundaries
/// cross mass and a wrong assignment would move the barycentres.
/// </summary>
internal static class ClusteringData
{
    /// <summary>1-D bumps (centre, radius, weight): support [0.29, 0.68].</summary>
    public static readonly (double[] C, double R, double W)[] Bumps1D =
        [([0.35], 0.06, 1.0), ([0.47], 0.07, 0.7), ([0.60], 0.08, 1.2)];

    /// <summary>2-D bumps: support within [0.25, 0.67] × [0.27, 0.67]; neighbouring bumps overlap.</summary>
    public static readonly (double[] C, double R, double W)[] Bumps2D =
        [([0.38, 0.40], 0.13, 1.0), ([0.54, 0.38], 0.13, 0.8), ([0.46, 0.54], 0.13, 1.1)];

    public static readonly double[] Initial1D = [0.30, 0.45, 0.66];

    public static readonly double[] Initial2D = [0.30, 0.30, 0.62, 0.30, 0.45, 0.64];

    /// <summary>f at the grid's nodes.</summary>
    public static double[] Density(PeriodicGrid grid, (double[] C, double R, double W)[] bumps)
    {
        double[][] x = Positions(grid);
        return x.Select(p => bumps.Sum(b => Bump(p, b.C, b.R, b.W))).ToArray();
    }

    /// <summary>f = 1 on [0.3, 0.7]² plus a bump 2(1 − |x − (0.4, 0.6)|²/0.1²)²₊ (support width 0.4 &lt; ½).</summary>
    public static double[] Plateau(PeriodicGrid grid) => Positions(grid)
        .Select(p => p[0] >= 0.3 && p[0] <= 0.7 && p[1] >= 0.3 && p[1] <= 0.7 ? 1 + Bump(p, [0.4, 0.6], 0.1, 2) : 0)
        .ToArray();

    public static double[][] Positions(PeriodicGrid grid)
    {
        var x = new double[grid.NodeCount][];
        for (int g = 0; g < x.Length; g++)
        {
            x[g] = new double[grid.Dimension];
            grid.Position(g, x[g]);
        }

        return x;
    }

    private static double Bump(double[] x, double[] c, double r, double w)
    {
        double s = 0;
        for (int a = 0; a < x.Length; a++)
        {
            s += (x[a] - c[a]) * (x[a] - c[a]);
        }

        double t = 1 - (s / (r * r));
        return t > 0 ? w * t * t : 0;
    }
}

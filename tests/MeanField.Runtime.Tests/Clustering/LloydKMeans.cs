namespace MeanField.Runtime.Tests.Clustering;

/// <summary>
/// Lloyd's K-means on a density given at grid nodes, written for the tests independently of
/// <see cref="MfgClustering{TGame}"/>: every node with f &gt; 0 goes to its nearest centre in the Euclidean distance (the
/// first on a tie), each centre moves to the f-weighted mean of its nodes (an empty cluster keeps its centre), until the
/// partition no longer changes.
/// </summary>
internal static class LloydKMeans
{
    /// <summary>The centres (K × d row-major) and the iterations until the partition repeated.</summary>
    public static (double[] Centres, int Iterations) Run(double[][] points, double[] weights, double[] initialCentres, int maxIterations = 1000)
    {
        int d = points[0].Length, k = initialCentres.Length / d;
        double[] centres = (double[])initialCentres.Clone();
        int[] owner = Enumerable.Repeat(-1, points.Length).ToArray();
        for (int iteration = 1; iteration <= maxIterations; iteration++)
        {
            bool changed = false;
            for (int p = 0; p < points.Length; p++)
            {
                if (weights[p] == 0)
                {
                    continue;
                }

                int nearest = Enumerable.Range(0, k).MinBy(j => SquaredDistance(points[p], centres, j));
                changed |= nearest != owner[p];
                owner[p] = nearest;
            }

            if (!changed)
            {
                return (centres, iteration);
            }

            for (int j = 0; j < k; j++)
            {
                double mass = 0;
                var sum = new double[d];
                for (int p = 0; p < points.Length; p++)
                {
                    if (owner[p] == j)
                    {
                        mass += weights[p];
                        for (int a = 0; a < d; a++)
                        {
                            sum[a] += weights[p] * points[p][a];
                        }
                    }
                }

                for (int a = 0; a < d && mass > 0; a++)
                {
                    centres[(j * d) + a] = sum[a] / mass;
                }
            }
        }

        throw new InvalidOperationException($"Lloyd's algorithm did not settle in {maxIterations} iterations.");
    }

    private static double SquaredDistance(double[] x, double[] centres, int j)
    {
        double s = 0;
        for (int a = 0; a < x.Length; a++)
        {
            double dx = x[a] - centres[(j * x.Length) + a];
            s += dx * dx;
        }

        return s;
    }
}

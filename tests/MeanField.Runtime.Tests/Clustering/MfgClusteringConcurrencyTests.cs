using MeanField.Models;

namespace MeanField.Runtime.Tests.Clustering;

/// <summary>
/// Runs alone: its solves fill the thread pool, and the allocation tests of other classes (the nested-dissection LU's
/// pool work item, the interaction evaluator) count bytes that a busy pool changes (measured: both failed once each
/// while this test ran beside them).
/// </summary>
[CollectionDefinition(nameof(ClusteringConcurrencyCollection), DisableParallelization = true)]
public sealed class ClusteringConcurrencyCollection;

/// <summary><see cref="MfgClustering{TGame}"/> used from several threads at once.</summary>
[Collection(nameof(ClusteringConcurrencyCollection))]
public sealed class MfgClusteringConcurrencyTests
{
    /// <summary>
    /// The solver keeps no call state beyond the population solve, which the first call does once (thread-safe): four
    /// concurrent solves on one fresh instance give bit-identical results; the solver keeps its own copy of U.
    /// </summary>
    [Fact]
    public void ConcurrentSolvesOnOneSolverAgree()
    {
        var grid = new PeriodicGrid(32, 32);
        double[] f = ClusteringData.Density(grid, ClusteringData.Bumps2D);
        var solver = new MfgClustering<ClusteringGame2D>(grid, null);
        var results = new ClusteringResult[4];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => results[i] = solver.Solve(f, ClusteringData.Initial2D));
        Assert.All(results, r => Assert.Same(results[0].Population, r.Population));
        Assert.All(results, r => Assert.Equal(results[0].Barycentres, r.Barycentres));
        Assert.All(results, r => Assert.Equal(results[0].Assignment, r.Assignment));

        // A caller writing to the shared result's U does not reach the solver's copy.
        Array.Fill(results[0].Population.U, double.NaN);
        Assert.Equal(results[0].Barycentres, solver.Solve(f, ClusteringData.Initial2D).Barycentres);
    }
}

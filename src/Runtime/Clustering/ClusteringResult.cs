namespace MeanField;

/// <summary>
/// The fixed point of <see cref="MfgClustering{TGame}"/> (specs/clustering.md): the K populations' barycentres μ_k, masses
/// α_k and densities m_k = f·1{k = argmin_j u_j}, the assignment of every node, and the iteration's history.
/// </summary>
public sealed class ClusteringResult
{
    internal ClusteringResult(PeriodicGrid grid, int clusterCount, double[] barycentres, double[] masses, int[] assignment, double[][] densities, IReadOnlyList<double> residualHistory, IReadOnlyList<double> distortionHistory, ErgodicSolution population, bool converged)
    {
        Grid = grid;
        ClusterCount = clusterCount;
        Barycentres = barycentres;
        Masses = masses;
        Assignment = assignment;
        Densities = densities;
        ResidualHistory = residualHistory;
        DistortionHistory = distortionHistory;
        Population = population;
        Converged = converged;
    }

    /// <summary>The grid.</summary>
    public PeriodicGrid Grid { get; }

    /// <summary>K, the number of populations.</summary>
    public int ClusterCount { get; }

    /// <summary>The barycentres μ_k = Σ_g x_g m_k(x_g) / Σ_g m_k(x_g), K × d row-major (population k at [k·d, k·d + d)).</summary>
    public double[] Barycentres { get; }

    /// <summary>The masses α_k = h^d Σ_g m_k(x_g), K values, in the units of the data (they sum to h^dΣf).</summary>
    public double[] Masses { get; }

    /// <summary>The population of every node, n values in 0 … K − 1 (nodes where f = 0 are assigned too, with no mass).</summary>
    public int[] Assignment { get; }

    /// <summary>The populations' densities m_k = f·1{Assignment = k}, K arrays of n node values.</summary>
    public IReadOnlyList<double[]> Densities { get; }

    /// <summary>max_k ‖μ_k^{i+1} − μ_k^i‖_∞ after each iteration i = 1, 2, … (the last one ≤ the tolerance when converged).</summary>
    public IReadOnlyList<double> ResidualHistory { get; }

    /// <summary>
    /// The K-means distortion h^d Σ_k Σ_{g ∈ k} f_g ½|x_g − μ_k|² of each iteration's partition, at its new barycentres
    /// (non-increasing for Lloyd's algorithm; here the partition comes from the PDE value functions, see specs/clustering.md).
    /// </summary>
    public IReadOnlyList<double> DistortionHistory { get; }

    /// <summary>Fixed-point iterations taken.</summary>
    public int Iterations => ResidualHistory.Count;

    /// <summary>Whether the tolerance was met (always true for a returned result, false for an exception's last iterate).</summary>
    public bool Converged { get; }

    /// <summary>
    /// The ergodic solution (U, M, λ) of the one population game whose barycentre sits at the torus centre; population
    /// k's value function is its translate u_k(x) = U(x − μ_k + c₀).
    /// </summary>
    public ErgodicSolution Population { get; }
}

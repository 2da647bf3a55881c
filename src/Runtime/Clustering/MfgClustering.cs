using System.Globalization;

namespace MeanField;

/// <summary>
/// Mean-field-game clustering (Aquilanti–Cacace–Camilli–De Maio 2020, "A mean field games approach to cluster analysis",
/// Appl. Math. Optim.; specs/clustering.md): K populations share a data density f on 𝕋^d; an agent of population k pays the
/// running cost ½|x − μ_k|², μ_k the barycentre of its population, and a data point joins the population whose value
/// function u_k is smallest there, m_k = f·1{k = argmin_j u_j}. The barycentres are iterated to a fixed point
/// (μ_k ← Σ x m_k / Σ m_k), where the partition is the Voronoi partition of its own barycentres: the fixed point of
/// Lloyd's K-means on f.
/// </summary>
/// <remarks>
/// <para>The K HJB equations differ only by a translation: <typeparamref name="TGame"/> is the game of one population
/// whose barycentre sits at the torus centre c₀ = (½, …, ½) (e.g. <c>MeanField.Models.ClusteringGame</c>:
/// H = ½|p|² − ½|x − c₀|²), solved once by <see cref="FictitiousPlaySolver{TGame}"/> (see <see cref="MfgClusteringOptions.Game"/>); the problem on 𝕋^d is translation invariant
/// and so is the gauge ΣU = 0, so u_k(x) = U(x − μ_k + c₀) with one common constant, and comparing u_k between populations
/// is meaningful. Off-grid shifts interpolate U (linear in 1-D, bilinear in 2-D; O(h²)).</para>
/// <para>The barycentres are Euclidean, so the data must lie in a box narrower than ½ on every axis (then the torus and
/// the Euclidean distance agree between any data point and any barycentre) and the initial centres inside that box.</para>
/// <para>The ergodic solve is done once per solver, on the first <see cref="Solve"/>, and shared by later calls
/// (thread-safe; every result shares that <see cref="ClusteringResult.Population"/>); an iteration allocates nothing.</para>
/// </remarks>
/// <typeparam name="TGame">The game of one population centred at c₀.</typeparam>
public sealed class MfgClustering<TGame> where TGame : struct, IGameModel<TGame>
{
    /// <summary>The population game's solution and the solver's own copy of its U (a caller may write to the result's).</summary>
    private readonly Lazy<(ErgodicSolution Solution, double[] U)> _population;

    /// <summary>A clustering solver on <paramref name="grid"/>.</summary>
    /// <param name="grid">The grid; its dimension must be the game's.</param>
    /// <param name="options">The settings (null: the defaults).</param>
    public MfgClustering(PeriodicGrid grid, MfgClusteringOptions? options)
    {
        GameChecks.Check<TGame>(grid);
        Grid = grid;
        Options = options ?? new MfgClusteringOptions();
        FictitiousPlayOptions game = Options.Game ?? new FictitiousPlayOptions { Damping = 1, Tolerance = 1e-10 };
        _population = new Lazy<(ErgodicSolution, double[])>(
            () =>
            {
                ErgodicSolution solution = new FictitiousPlaySolver<TGame>(grid, game).Solve();
                return (solution, (double[])solution.U.Clone());
            },
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The grid.</summary>
    public PeriodicGrid Grid { get; }

    /// <summary>The settings.</summary>
    public MfgClusteringOptions Options { get; }

    /// <summary>
    /// Iterates assignment and barycentre update from <paramref name="initialCentres"/> until no barycentre moves by more
    /// than <see cref="MfgClusteringOptions.Tolerance"/>.
    /// </summary>
    /// <param name="data">The data density f at the grid nodes (n values, finite, ≥ 0, some positive), x fastest.</param>
    /// <param name="initialCentres">K initial barycentres, K × d row-major, distinct, inside the data's bounding box.</param>
    /// <returns>The fixed point with its history.</returns>
    /// <exception cref="ClusteringConvergenceException">The barycentres did not settle within the iteration budget.</exception>
    /// <exception cref="FictitiousPlayConvergenceException">The population game's ergodic solve failed.</exception>
    public ClusteringResult Solve(ReadOnlySpan<double> data, ReadOnlySpan<double> initialCentres)
    {
        int d = Grid.Dimension, n = Grid.NodeCount;
        Span<double> low = stackalloc double[2], high = stackalloc double[2];
        int support = CheckData(data, low, high);
        int k = CheckCentres(initialCentres, low, high, support);

        (ErgodicSolution population, double[] u) = _population.Value;
        var positions = new double[n * d];
        for (int g = 0; g < n; g++)
        {
            Grid.PositionUnchecked(g, positions.AsSpan(g * d, d));
        }

        double[] centres = initialCentres.ToArray();
        var next = new double[k * d];
        var weights = new double[k];
        var assignment = new int[n];
        int capacity = Math.Min(Options.MaxIterations, 10_000);
        var residuals = new List<double>(capacity);
        var distortions = new List<double>(capacity);
        bool converged = false;
        for (int iteration = 0; iteration < Options.MaxIterations && !converged; iteration++)
        {
            Assign(u, positions, centres, k, assignment);
            Barycentres(data, positions, assignment, centres, next, weights);
            double residual = 0;
            for (int i = 0; i < next.Length; i++)
            {
                residual = Math.Max(residual, Math.Abs(next[i] - centres[i]));
            }

            (centres, next) = (next, centres);
            residuals.Add(residual);
            distortions.Add(Distortion(data, positions, assignment, centres));
            converged = residual <= Options.Tolerance;
        }

        var densities = new double[k][];
        var masses = new double[k];
        for (int j = 0; j < k; j++)
        {
            densities[j] = new double[n];
        }

        for (int g = 0; g < n; g++)
        {
            densities[assignment[g]][g] = data[g];
            masses[assignment[g]] += data[g] * Grid.CellVolume;
        }

        var result = new ClusteringResult(Grid, k, centres, masses, assignment, densities, residuals, distortions, population, converged);
        return converged
            ? result
            : throw new ClusteringConvergenceException(string.Create(CultureInfo.InvariantCulture, $"MfgClustering<{typeof(TGame).Name}> on {Grid}: the barycentres still moved by {residuals[^1]:G3} after {residuals.Count} iterations (tolerance {Options.Tolerance:G3}). LastIterate holds the last iterate."), result);
    }

    /// <summary>Each node joins the population of least value u_k(x) = U(x − μ_k + c₀); the first on a tie.</summary>
    private void Assign(double[] u, double[] positions, double[] centres, int k, int[] assignment)
    {
        int d = Grid.Dimension, n = Grid.NodeCount;
        for (int g = 0; g < n; g++)
        {
            int best = 0;
            double bestValue = double.PositiveInfinity;
            for (int j = 0; j < k; j++)
            {
                double value = TranslatedValue(u, positions.AsSpan(g * d, d), centres.AsSpan(j * d, d));
                if (value < bestValue)
                {
                    bestValue = value;
                    best = j;
                }
            }

            assignment[g] = best;
        }
    }

    /// <summary>U at y = x − μ + c₀ (wrapped to [0, 1)^d), interpolated linearly per axis between the grid nodes.</summary>
    private double TranslatedValue(double[] u, ReadOnlySpan<double> x, ReadOnlySpan<double> centre)
    {
        int nx = Grid.Nx;
        (int ix0, int ix1, double tx) = Bracket(x[0] - centre[0] + 0.5, nx);
        if (Grid.Dimension == 1)
        {
            return ((1 - tx) * u[ix0]) + (tx * u[ix1]);
        }

        (int iy0, int iy1, double ty) = Bracket(x[1] - centre[1] + 0.5, Grid.Ny);
        double below = ((1 - tx) * u[ix0 + (nx * iy0)]) + (tx * u[ix1 + (nx * iy0)]);
        double above = ((1 - tx) * u[ix0 + (nx * iy1)]) + (tx * u[ix1 + (nx * iy1)]);
        return ((1 - ty) * below) + (ty * above);
    }

    private static (int Lower, int Upper, double Weight) Bracket(double y, int points)
    {
        double s = (y - Math.Floor(y)) * points;
        int lower = Math.Min((int)s, points - 1);
        double weight = s - lower;
        return (lower, lower + 1 == points ? 0 : lower + 1, weight);
    }

    /// <summary>μ_k = Σ_{g ∈ k} f_g x_g / Σ_{g ∈ k} f_g; a population without mass keeps its barycentre.</summary>
    private void Barycentres(ReadOnlySpan<double> data, double[] positions, int[] assignment, double[] centres, double[] next, double[] weights)
    {
        int d = Grid.Dimension;
        Array.Clear(next);
        Array.Clear(weights);
        for (int g = 0; g < assignment.Length; g++)
        {
            int j = assignment[g];
            weights[j] += data[g];
            for (int a = 0; a < d; a++)
            {
                next[(j * d) + a] += data[g] * positions[(g * d) + a];
            }
        }

        for (int j = 0; j < weights.Length; j++)
        {
            for (int a = 0; a < d; a++)
            {
                next[(j * d) + a] = weights[j] > 0 ? next[(j * d) + a] / weights[j] : centres[(j * d) + a];
            }
        }
    }

    private double Distortion(ReadOnlySpan<double> data, double[] positions, int[] assignment, double[] centres)
    {
        int d = Grid.Dimension;
        double sum = 0;
        for (int g = 0; g < assignment.Length; g++)
        {
            double r2 = 0;
            for (int a = 0; a < d; a++)
            {
                double dx = positions[(g * d) + a] - centres[(assignment[g] * d) + a];
                r2 += dx * dx;
            }

            sum += data[g] * 0.5 * r2;
        }

        return sum * Grid.CellVolume;
    }

    /// <summary>Checks f; returns the number of support nodes and writes the support's bounding box.</summary>
    private int CheckData(ReadOnlySpan<double> data, Span<double> low, Span<double> high)
    {
        int d = Grid.Dimension, n = Grid.NodeCount;
        if (data.Length != n)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"data has length {data.Length}; the grid {Grid} has {n} nodes."), nameof(data));
        }

        low.Fill(double.PositiveInfinity);
        high.Fill(double.NegativeInfinity);
        Span<double> x = stackalloc double[2];
        int support = 0;
        for (int g = 0; g < n; g++)
        {
            double f = data[g];
            if (!(f >= 0) || !double.IsFinite(f))
            {
                Grid.PositionUnchecked(g, x);
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"data[{g}] is {f} (at x = {Format(x[..d])}); the data density must be finite and ≥ 0."), nameof(data));
            }

            if (f > 0)
            {
                support++;
                Grid.PositionUnchecked(g, x);
                for (int a = 0; a < d; a++)
                {
                    low[a] = Math.Min(low[a], x[a]);
                    high[a] = Math.Max(high[a], x[a]);
                }
            }
        }

        if (support == 0)
        {
            throw new ArgumentException("data is zero at every node; the data density needs positive mass.", nameof(data));
        }

        for (int a = 0; a < d; a++)
        {
            if (high[a] - low[a] >= 0.5)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"data is positive on [{low[a]}, {high[a]}] along axis {a}, a width of {high[a] - low[a]}; it must be narrower than ½ so that the torus and the Euclidean distance agree (specs/clustering.md)."), nameof(data));
            }
        }

        return support;
    }

    /// <summary>Checks the centres; returns K.</summary>
    private int CheckCentres(ReadOnlySpan<double> initialCentres, ReadOnlySpan<double> low, ReadOnlySpan<double> high, int support)
    {
        int d = Grid.Dimension;
        if (initialCentres.Length == 0 || initialCentres.Length % d != 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"initialCentres has length {initialCentres.Length}; it must hold K·d values, K ≥ 1 centres of dimension d = {d}."), nameof(initialCentres));
        }

        int k = initialCentres.Length / d;
        if (k > support)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"initialCentres holds K = {k} centres but the data is positive at only {support} nodes."), nameof(initialCentres));
        }

        for (int i = 0; i < initialCentres.Length; i++)
        {
            int a = i % d;
            double c = initialCentres[i];
            if (!(c >= low[a] && c <= high[a]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"initialCentres[{i}] is {c} (centre {i / d}, axis {a}); the centres must lie in the data's bounding box [{low[a]}, {high[a]}] on that axis."), nameof(initialCentres));
            }
        }

        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (initialCentres.Slice(i * d, d).SequenceEqual(initialCentres.Slice(j * d, d)))
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"initialCentres: centres {j} and {i} coincide at ({Format(initialCentres.Slice(i * d, d))}); the initial centres must be distinct."), nameof(initialCentres));
                }
            }
        }

        return k;
    }

    private static string Format(ReadOnlySpan<double> x) => x.Length == 1
        ? x[0].ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{x[0]}, {x[1]}");
}

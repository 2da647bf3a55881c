namespace MeanField;

/// <summary>Settings of <see cref="MfgClustering{TGame}"/> (specs/clustering.md). Each setter rejects an invalid value at once.</summary>
public sealed record MfgClusteringOptions
{
    private readonly double _tolerance = 1e-12;
    private readonly int _maxIterations = 100;

    /// <summary>
    /// Stop as converged when no barycentre moved by more than Tolerance on any axis in one iteration (finite, ≥ 0;
    /// default 10⁻¹²). The assignment is a function of the barycentres and the barycentres of a partition, so once the
    /// partition repeats the barycentres repeat to the last bit: the residual then is 0.
    /// </summary>
    public double Tolerance
    {
        get => _tolerance;
        init => _tolerance = value >= 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(Tolerance), value, $"Tolerance must be finite and ≥ 0; got {value}.");
    }

    /// <summary>The most fixed-point iterations (assignment and barycentre update; ≥ 1; default 100).</summary>
    public int MaxIterations
    {
        get => _maxIterations;
        init => _maxIterations = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxIterations), value, $"MaxIterations must be ≥ 1; got {value}.");
    }

    /// <summary>
    /// Settings of the one ergodic solve of the population game by <see cref="FictitiousPlaySolver{TGame}"/> (null: the
    /// plain best-response iteration, <see cref="FictitiousPlayOptions.Damping"/> = 1, to ‖R‖_∞ ≤ 10⁻¹⁰). Not Newton on the
    /// whole system: the population game has no local coupling (∂Ĥ/∂m = 0), so its U–M block is singular (specs/mfg.md §3
    /// needs F′ &gt; 0; specs/clustering.md §3), while the decoupled iteration's HJB step is not; and since the HJB does
    /// not depend on M the first best response is already the answer.
    /// </summary>
    public FictitiousPlayOptions? Game { get; init; }
}

/// <summary>
/// Thrown by <see cref="MfgClustering{TGame}"/> when the barycentres have not settled after
/// <see cref="MfgClusteringOptions.MaxIterations"/> iterations. <see cref="LastIterate"/> holds the last iterate.
/// </summary>
public sealed class ClusteringConvergenceException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public ClusteringConvergenceException()
        : this("The clustering fixed-point iteration did not converge.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ClusteringConvergenceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ClusteringConvergenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a message and the last iterate.</summary>
    /// <param name="message">Why the iteration stopped.</param>
    /// <param name="lastIterate">The last iterate.</param>
    public ClusteringConvergenceException(string message, ClusteringResult lastIterate)
        : base(message)
    {
        LastIterate = lastIterate;
    }

    /// <summary>The last iterate (null only for the message-only constructors).</summary>
    public ClusteringResult? LastIterate { get; }
}

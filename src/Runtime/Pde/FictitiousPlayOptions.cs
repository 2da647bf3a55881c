namespace MeanField;

/// <summary>
/// Settings of <see cref="FictitiousPlaySolver{TGame}"/> (specs/mfg.md §11). Each setter rejects an invalid value at once.
/// </summary>
public sealed record FictitiousPlayOptions
{
    private readonly double? _damping;
    private readonly double _tolerance = 1e-8;
    private readonly double _hjbTolerance = 1e-11;
    private readonly int _maxIterations = 1000;
    private readonly int _hjbMaxIterations = 50;

    /// <summary>
    /// The averaging weight θ ∈ (0, 1] of the damped iteration M̄_{k+1} = (1 − θ)M̄_k + θM_k; null (the default) for
    /// fictitious play, whose weight at iteration k is 1/(k + 1). Fictitious play needs no tuning but its residual falls
    /// only as O(1/k), so a tight <see cref="Tolerance"/> needs a damped iteration; θ must be small enough for the
    /// coupling's strength (θ = 1 or ½ cycles on a strong coupling; specs/mfg.md §11).
    /// </summary>
    public double? Damping
    {
        get => _damping;
        init => _damping = value is null || (value > 0 && value <= 1) ? value
            : throw new ArgumentOutOfRangeException(nameof(Damping), value, $"Damping must be in (0, 1] (or null for fictitious play); got {value}.");
    }

    /// <summary>Stop as converged when the full system's ‖R‖_∞ ≤ Tolerance (finite, ≥ 0; default 10⁻⁸).</summary>
    public double Tolerance
    {
        get => _tolerance;
        init => _tolerance = value >= 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(Tolerance), value, $"Tolerance must be finite and ≥ 0; got {value}.");
    }

    /// <summary>The most outer (best response + averaging) iterations (≥ 1; default 1000).</summary>
    public int MaxIterations
    {
        get => _maxIterations;
        init => _maxIterations = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxIterations), value, $"MaxIterations must be ≥ 1; got {value}.");
    }

    /// <summary>
    /// The inner Newton solve of the HJB rows (M̄ fixed) stops when their ‖·‖_∞ ≤ HjbTolerance (finite, &gt; 0; default
    /// 10⁻¹¹) or its update no longer changes U; it should lie below <see cref="Tolerance"/>.
    /// </summary>
    public double HjbTolerance
    {
        get => _hjbTolerance;
        init => _hjbTolerance = value > 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(HjbTolerance), value, $"HjbTolerance must be finite and > 0; got {value}.");
    }

    /// <summary>The most Newton iterations of one inner HJB solve (≥ 1; default 50).</summary>
    public int HjbMaxIterations
    {
        get => _hjbMaxIterations;
        init => _hjbMaxIterations = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(HjbMaxIterations), value, $"HjbMaxIterations must be ≥ 1; got {value}.");
    }

    /// <summary>Receives one report per outer iteration, synchronously on the solving thread (null: none).</summary>
    public IProgress<FictitiousPlayProgress>? Progress { get; init; }
}

/// <summary>One outer iteration of <see cref="FictitiousPlaySolver{TGame}"/>.</summary>
/// <param name="Iteration">The iteration (1, 2, …).</param>
/// <param name="ResidualNorm">The full system's ‖R‖_∞ at (U_k, M̄_k, Λ_k) after the iteration.</param>
/// <param name="Weight">The averaging weight of the iteration: 1/(k + 1) for fictitious play, θ when damped.</param>
/// <param name="HjbIterations">Newton iterations of the iteration's HJB solve.</param>
public readonly record struct FictitiousPlayProgress(int Iteration, double ResidualNorm, double Weight, int HjbIterations);

/// <summary>
/// Thrown by <see cref="FictitiousPlaySolver{TGame}"/> and <see cref="FiniteHorizonFictitiousPlaySolver{TGame}"/> when it stops without meeting its tolerance (iteration budget,
/// an inner HJB solve that fails, a density that loses positivity or mass). <see cref="LastIterate"/> holds the last
/// iterate (U_k, M̄_k, Λ_k) with its residual history.
/// </summary>
public sealed class FictitiousPlayConvergenceException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public FictitiousPlayConvergenceException()
        : this("The fictitious-play iteration did not converge.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public FictitiousPlayConvergenceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public FictitiousPlayConvergenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a message and the last iterate.</summary>
    /// <param name="message">Why the iteration stopped.</param>
    /// <param name="lastIterate">The last iterate: an <see cref="ErgodicSolution"/> or a <see cref="FiniteHorizonSolution"/>.</param>
    public FictitiousPlayConvergenceException(string message, NewtonSolution lastIterate)
        : base(message)
    {
        LastIterate = lastIterate;
    }

    /// <summary>
    /// The last iterate (null only for the message-only constructors): an <see cref="ErgodicSolution"/> from
    /// <see cref="FictitiousPlaySolver{TGame}"/>, a <see cref="FiniteHorizonSolution"/> from
    /// <see cref="FiniteHorizonFictitiousPlaySolver{TGame}"/>.
    /// </summary>
    public NewtonSolution? LastIterate { get; }
}

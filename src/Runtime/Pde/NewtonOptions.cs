namespace MeanField;

/// <summary>Settings of the PDE solvers' Newton method (<see cref="ErgodicSolver{TGame}"/>, <see cref="FiniteHorizonSolver{TGame}"/>; specs/mfg.md §3). Each setter rejects an invalid value at once.</summary>
public sealed record NewtonOptions
{
    private readonly double _tolerance = 1e-10;
    private readonly double _stepTolerance = 1e-11;
    private readonly int _maxIterations = 50;

    /// <summary>Stop as converged when ‖R‖_∞ ≤ Tolerance (finite, ≥ 0; default 10⁻¹⁰, the peer's).</summary>
    public double Tolerance
    {
        get => _tolerance;
        init => _tolerance = value >= 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(Tolerance), value, $"Tolerance must be finite and ≥ 0; got {value}.");
    }

    /// <summary>
    /// Stop as converged when an accepted Newton update has ‖sδ‖_∞ ≤ StepTolerance (finite, ≥ 0; default 10⁻¹¹, the
    /// peer's xtol): the HJB rows carry ν/h² times the rounding error of U, so on fine grids ‖R‖_∞ stalls above 10⁻¹⁰
    /// while the iterate no longer changes. A full Newton correction ‖δ‖_∞ ≤ StepTolerance is taken without the line search
    /// and stops as converged (on the rounding floor no step decreases ‖R‖_∞, so the search would reject it).
    /// </summary>
    public double StepTolerance
    {
        get => _stepTolerance;
        init => _stepTolerance = value >= 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(StepTolerance), value, $"StepTolerance must be finite and ≥ 0; got {value}.");
    }

    /// <summary>The most Newton iterations (≥ 1; default 50).</summary>
    public int MaxIterations
    {
        get => _maxIterations;
        init => _maxIterations = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxIterations), value, $"MaxIterations must be ≥ 1; got {value}.");
    }

    /// <summary>Receives one report per Newton iteration, synchronously on the solving thread (null: none).</summary>
    public IProgress<NewtonProgress>? Progress { get; init; }
}

/// <summary>One Newton iteration of a PDE solver.</summary>
/// <param name="Iteration">The iteration (1, 2, …).</param>
/// <param name="ResidualNorm">‖R‖_∞ after the iteration's step.</param>
/// <param name="StepLength">The accepted line-search factor s ∈ (0, 1].</param>
public readonly record struct NewtonProgress(int Iteration, double ResidualNorm, double StepLength);

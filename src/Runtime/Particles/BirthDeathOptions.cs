namespace MeanField;

/// <summary>How <see cref="BirthDeathDynamics"/> discretises the birth–death (Fisher–Rao) part of its step.</summary>
public enum BirthDeathMode
{
    /// <summary>
    /// n particles of equal weight: particle i jumps with probability α|V_i − V̄|Δt; above the mean it dies (replaced by a
    /// copy of a uniformly drawn other particle), below it is duplicated (its copy replaces a uniformly drawn other particle).
    /// </summary>
    ConstantPopulation,

    /// <summary>Fixed positions' weights change: w_i ← w_i·exp(−α(V_i − V̄)Δt), then rescaled so Σ w_i is what it was (to rounding).</summary>
    Weighted,
}

/// <summary>Settings of a <see cref="BirthDeathDynamics"/> run. Each setter rejects an invalid value at once, naming the property and the value.</summary>
public sealed record BirthDeathOptions : ParticleDynamicsOptions
{
    private readonly double _rate = 1.0;
    private readonly BirthDeathMode _mode = BirthDeathMode.ConstantPopulation;

    /// <summary>α ≥ 0, the birth–death rate in ∂tμ = ∇·(μ∇V) − α(V − ∫V dμ)μ; default 1. α = 0 is pure transport.</summary>
    public double Rate
    {
        get => _rate;
        init => _rate = value >= 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(Rate), value, $"Rate must be finite and ≥ 0; got {value}.");
    }

    /// <summary>Constant population (clone/kill, default) or weighted particles.</summary>
    public BirthDeathMode Mode
    {
        get => _mode;
        init => _mode = Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(Mode), value, $"Mode must be ConstantPopulation or Weighted; got {value}.");
    }

    /// <summary>Optional callback, told (step, E) at every recorded step.</summary>
    public IProgress<GradientFlowProgress>? Progress { get; init; }
}

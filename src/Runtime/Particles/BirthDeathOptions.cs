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
public sealed record BirthDeathOptions
{
    private readonly double _stepSize = 0.01;
    private readonly double _rate = 1.0;
    private readonly BirthDeathMode _mode = BirthDeathMode.ConstantPopulation;
    private readonly int _maxSteps = 1000;
    private readonly int _recordEvery = 1;
    private readonly int _checkpointEvery;
    private readonly string? _checkpointPath;

    /// <summary>Δt &gt; 0, the step in flow time (transport θ ← θ − Δt ∇V, then the birth–death step); default 0.01.</summary>
    public double StepSize
    {
        get => _stepSize;
        init => _stepSize = value > 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(StepSize), value, $"StepSize must be finite and > 0; got {value}.");
    }

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

    /// <summary>The seed of the counter-based jump decisions (constant population); default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>The most steps one <see cref="BirthDeathDynamics.Run"/> takes (≥ 0); default 1000.</summary>
    public int MaxSteps
    {
        get => _maxSteps;
        init => _maxSteps = value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxSteps), value, $"MaxSteps must be ≥ 0; got {value}.");
    }

    /// <summary>Record (step, E) in <see cref="BirthDeathDynamics.EnergyHistory"/> and report progress every this many steps (≥ 1; default 1).</summary>
    public int RecordEvery
    {
        get => _recordEvery;
        init => _recordEvery = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(RecordEvery), value, $"RecordEvery must be ≥ 1; got {value}.");
    }

    /// <summary>
    /// Write a checkpoint to <see cref="CheckpointPath"/> every this many steps during <see cref="BirthDeathDynamics.Run"/>, and
    /// when it stops (≥ 0; default 0, never). Both modes: particle file format 3 stores the weights.
    /// </summary>
    public int CheckpointEvery
    {
        get => _checkpointEvery;
        init => _checkpointEvery = value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), value, $"CheckpointEvery must be ≥ 0 (0 = no checkpoints); got {value}.");
    }

    /// <summary>The checkpoint file for <see cref="CheckpointEvery"/>; required when it is &gt; 0. Null (the default) or a non-blank path.</summary>
    /// <exception cref="ArgumentException">The value is empty or white space.</exception>
    public string? CheckpointPath
    {
        get => _checkpointPath;
        init => _checkpointPath = value is null || !string.IsNullOrWhiteSpace(value) ? value
            : throw new ArgumentException($"CheckpointPath is blank ('{value}'); name a file, or leave it null for no checkpoints.", nameof(CheckpointPath));
    }

    /// <summary>Optional callback, told (step, E) at every recorded step.</summary>
    public IProgress<GradientFlowProgress>? Progress { get; init; }
}
